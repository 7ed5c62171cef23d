package dev.keysmith.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keysmith.audit.AuditFilter;
import dev.keysmith.audit.AuditInstants;
import dev.keysmith.audit.AuditPage;
import dev.keysmith.audit.AuditRecord;
import dev.keysmith.audit.AuditTrail;
import dev.keysmith.audit.ChainCheck;
import dev.keysmith.audit.ChainHead;
import dev.keysmith.audit.ExportFormat;
import dev.keysmith.audit.TimeTravel;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.webhooks.WebhookEndpointId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit trail over the API, for the caller's own workspace: read it, verify it, export it, and see the keys and
 * webhook endpoints as they were at any instant. Any regular key of the workspace may read it (it holds no secret); nothing here changes
 * anything.
 */
@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "Audit", description = "The tamper-evident history of the workspace: trail, verification, export, time travel")
@SecurityRequirement(name = "bearer")
class AuditApiController {

    private final AuditTrail trail;
    private final TimeTravel timeTravel;
    private final ObjectMapper json;

    AuditApiController(AuditTrail trail, TimeTravel timeTravel, ObjectMapper json) {
        this.trail = trail;
        this.timeTravel = timeTravel;
        this.json = json;
    }

    static void requireRegularKey(ApiCaller caller) {
        if (caller.key().temporary()) {
            throw new KeysmithException.Forbidden("permission_denied",
                    "Temporary keys cannot read the audit trail: use a regular key of the workspace.");
        }
    }

    @GetMapping("/events")
    @Operation(summary = "Read the trail", description = "Every event of the workspace in order (oldest first), with "
            + "its subject, a description of what changed and who did it from where. Filters: from (inclusive), to "
            + "(exclusive), type (e.g. ApiKeyRevoked), actor, keyId, endpointId. Pages: limit 1..200 (default 50), "
            + "then cursor=next.")
    Map<String, Object> events(ApiCaller caller, @RequestParam(required = false) String from,
                               @RequestParam(required = false) String to, @RequestParam(required = false) String type,
                               @RequestParam(required = false) String actor,
                               @RequestParam(required = false) String keyId,
                               @RequestParam(required = false) String endpointId,
                               @RequestParam(required = false) String cursor,
                               @RequestParam(defaultValue = "50") int limit) {
        requireRegularKey(caller);
        AuditFilter filter = AuditInstants.filter(from, to, type, actor, keyId, endpointId);
        AuditPage page = trail.events(caller.tenantId(), filter, cursor, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(this::json).toList());
        body.put("next", page.next());
        return body;
    }

    @GetMapping("/types")
    @Operation(summary = "Event types of the trail", description = "Every event type the trail describes (the values "
            + "of the events filter's type), sorted.")
    Map<String, Object> types(ApiCaller caller) {
        requireRegularKey(caller);
        return Map.of("items", trail.eventTypes());
    }

    @GetMapping("/verify")
    @Operation(summary = "Verify the chain", description = "Walks the hash chain and the event store side by side and "
            + "reports the first break (position and kind: altered, removed, reordered, missing), and the chain head "
            + "to note for later exports.")
    Map<String, Object> verify(ApiCaller caller) {
        requireRegularKey(caller);
        ChainCheck check = trail.verify(caller.tenantId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("intact", check.intact());
        body.put("records", check.records());
        body.put("storeEvents", check.storeEvents());
        body.put("head", head(check.head()));
        if (!check.intact()) {
            Map<String, Object> broken = new LinkedHashMap<>();
            broken.put("position", check.breakPosition());
            broken.put("kind", check.kind().json());
            broken.put("detail", check.detail());
            body.put("break", broken);
        }
        body.put("detail", check.detail());
        return body;
    }

    @GetMapping("/head")
    @Operation(summary = "The chain head", description = "The last record's position and hash (null for an empty trail).")
    Map<String, Object> head(ApiCaller caller) {
        requireRegularKey(caller);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("head", head(trail.head(caller.tenantId()).orElse(null)));
        return body;
    }

    @GetMapping("/keys")
    @Operation(summary = "Keys at an instant", description = "Every key as it was at `at` (ISO-8601), folded from the "
            + "event store; status as of that instant.")
    Map<String, Object> keysAt(ApiCaller caller, @RequestParam(required = false) String at) {
        requireRegularKey(caller);
        Instant instant = AuditInstants.required("at", at);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", instant);
        body.put("items", timeTravel.keysAt(caller.tenantId(), instant).stream()
                .map(key -> HistoricKeyJson.of(key, instant)).toList());
        return body;
    }

    @GetMapping("/keys/{id}")
    @Operation(summary = "One key at an instant", description = "404 key_not_found if the key did not exist yet.")
    HistoricKeyJson keyAt(ApiCaller caller, @PathVariable String id, @RequestParam(required = false) String at) {
        requireRegularKey(caller);
        Instant instant = AuditInstants.required("at", at);
        ApiKeyView key = timeTravel.keyAt(caller.tenantId(), ApiKeyId.parse(id), instant)
                .orElseThrow(() -> new KeysmithException.NotFound("key_not_found",
                        "There is no API key with this id in this workspace at " + instant + "."));
        return HistoricKeyJson.of(key, instant);
    }

    @GetMapping("/endpoints")
    @Operation(summary = "Webhook endpoints at an instant", description = "Every webhook endpoint as it was at `at` "
            + "(ISO-8601), folded from the event store; deleted ones marked. Of the signing secret only its version, "
            + "fingerprint and rotation time.")
    Map<String, Object> endpointsAt(ApiCaller caller, @RequestParam(required = false) String at) {
        requireRegularKey(caller);
        Instant instant = AuditInstants.required("at", at);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", instant);
        body.put("items", timeTravel.endpointsAt(caller.tenantId(), instant).stream()
                .map(HistoricEndpointJson::of).toList());
        return body;
    }

    @GetMapping("/endpoints/{id}")
    @Operation(summary = "One webhook endpoint at an instant", description = "404 webhook_not_found if the endpoint "
            + "did not exist yet (or is not the workspace's).")
    HistoricEndpointJson endpointAt(ApiCaller caller, @PathVariable String id,
                                    @RequestParam(required = false) String at) {
        requireRegularKey(caller);
        Instant instant = AuditInstants.required("at", at);
        WebhookEndpointId endpointId = WebhookEndpointId.parse(id);
        return timeTravel.endpointAt(caller.tenantId(), endpointId, instant).map(HistoricEndpointJson::of)
                .orElseThrow(() -> new KeysmithException.NotFound("webhook_not_found",
                        "There is no webhook endpoint with this id in this workspace at " + instant + "."));
    }

    @GetMapping("/diff")
    @Operation(summary = "What changed between two instants", description = "Keys added, renamed, re-allowlisted, "
            + "rotated, revoked, expired or removed from the list after `from` up to `to` (`changes`), and webhook "
            + "endpoints added, updated, disabled, enabled, secret_rotated or deleted (`endpointChanges`).")
    Map<String, Object> diff(ApiCaller caller, @RequestParam(required = false) String from,
                             @RequestParam(required = false) String to) {
        requireRegularKey(caller);
        Instant start = AuditInstants.required("from", from);
        Instant end = AuditInstants.required("to", to);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", start);
        body.put("to", end);
        body.put("changes", timeTravel.diff(caller.tenantId(), start, end));
        body.put("endpointChanges", timeTravel.endpointDiff(caller.tenantId(), start, end));
        return body;
    }

    @GetMapping("/export")
    @Operation(summary = "Export the trail", description = "format=ndjson (default) or csv, with the same filters as "
            + "events; streamed. Every line carries position, prevHash and hash: verify a file offline with "
            + "`java -jar keysmith.jar verify-export <file> [--head=<position>:<hash>]`.")
    ResponseEntity<StreamingResponseBody> export(ApiCaller caller, @RequestParam(required = false) String format,
                                                 @RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to,
                                                 @RequestParam(required = false) String type,
                                                 @RequestParam(required = false) String actor,
                                                 @RequestParam(required = false) String keyId,
                                                 @RequestParam(required = false) String endpointId) {
        requireRegularKey(caller);
        ExportFormat exportFormat = ExportFormat.parse(format);
        AuditFilter filter = AuditInstants.filter(from, to, type, actor, keyId, endpointId);
        return exportResponse(trail, caller.tenantId(), filter, exportFormat);
    }

    /** The streamed export, as a download named after the workspace and the format. */
    static ResponseEntity<StreamingResponseBody> exportResponse(AuditTrail trail, dev.keysmith.keys.TenantId tenant,
                                                               AuditFilter filter, ExportFormat format) {
        StreamingResponseBody body = out -> trail.export(tenant, filter, format, out);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(format.mediaType() + ";charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-" + tenant.value() + "."
                        + format.extension() + "\"")
                .body(body);
    }

    private static Map<String, Object> head(ChainHead head) {
        if (head == null) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("position", head.position());
        body.put("hash", head.hash());
        return body;
    }

    private Map<String, Object> json(AuditRecord record) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("position", record.position());
        body.put("time", record.time());
        body.put("type", record.type());
        body.put("eventId", record.eventId());
        body.put("subjectKind", record.subjectKind());
        body.put("subjectId", record.subjectId());
        body.put("subject", record.subject());
        body.put("description", record.description());
        body.put("actor", record.actor());
        body.put("actorType", record.actorType());
        body.put("ip", record.ip());
        body.put("userAgent", record.userAgent());
        body.put("correlationId", record.correlationId());
        body.put("payload", payload(record.payload()));
        body.put("prevHash", record.prevHash());
        body.put("hash", record.hash());
        return body;
    }

    private JsonNode payload(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(text);
        }
    }

    /** A key as it was at an instant: the key fields of GET /keys, its status as of that instant. */
    record HistoricKeyJson(String id, String name, String environment, String prefix, String last4, String brand,
                           List<String> ips, Instant created, Instant expires, Instant lastUsed, long usageCount,
                           String status, Instant rotatedAt, Instant previousValidUntil, Instant revokedAt,
                           String revocationReason, boolean temporary, boolean removedFromList) {

        static HistoricKeyJson of(ApiKeyView key, Instant at) {
            return new HistoricKeyJson(key.id().value(), key.name(), key.environment().json(), key.prefix(),
                    key.last4(), key.brand(), key.ips(), key.created(), key.expires(), key.lastUsed(),
                    key.usageCount(), key.status(at).json(), key.rotatedAt(), key.previousValidUntil(),
                    key.revokedAt(), key.revocationReason() == null ? null
                    : key.revocationReason().name().toLowerCase(java.util.Locale.ROOT), key.temporary(),
                    key.hidden());
        }
    }

    /** A webhook endpoint as it was at an instant; of its secret only the version, fingerprint and rotation times. */
    record HistoricEndpointJson(String id, String name, String url, String environment, List<String> events,
                                String status, boolean enabled, String disabledReason, String disabledDetail,
                                Instant created, Instant updated, int secretVersion, String secretFingerprint,
                                Instant secretRotatedAt, Instant previousSecretValidUntil, boolean deleted,
                                Instant deletedAt) {

        static HistoricEndpointJson of(TimeTravel.EndpointAt endpoint) {
            return new HistoricEndpointJson(endpoint.id().value(), endpoint.name(), endpoint.url(),
                    endpoint.environment().json(), endpoint.eventTypes(), endpoint.status(), endpoint.enabled(),
                    endpoint.disabledReason() == null ? null : endpoint.disabledReason().json(),
                    endpoint.disabledDetail(), endpoint.created(), endpoint.updated(), endpoint.secretVersion(),
                    endpoint.secretFingerprint(), endpoint.secretRotatedAt(), endpoint.previousSecretValidUntil(),
                    endpoint.deleted(), endpoint.deletedAt());
        }
    }
}
