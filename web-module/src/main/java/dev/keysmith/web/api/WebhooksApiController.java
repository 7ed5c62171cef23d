package dev.keysmith.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.webhooks.DeliveryView;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.WebhookEndpointId;
import dev.keysmith.webhooks.WebhookEndpointView;
import dev.keysmith.webhooks.Webhooks;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Webhook endpoints and their delivery log over the API, for the caller's own workspace. */
@RestController
@RequestMapping("/api/v1/webhooks")
@Tag(name = "Webhooks", description = "Endpoints that receive signed notifications of key changes, and their "
        + "delivery log. Event types and payloads: /docs/webhooks; verifying signatures: /docs/webhooks/verify")
@SecurityRequirement(name = "bearer")
class WebhooksApiController {

    private final Webhooks webhooks;
    private final ObjectMapper json;

    WebhooksApiController(Webhooks webhooks, ObjectMapper json) {
        this.webhooks = webhooks;
        this.json = json;
    }

    record EndpointBody(String name, String url, String environment, List<String> events, Boolean enabled) {
    }

    record RotateBody(Long overlapSeconds) {
    }

    record RedeliverBody(String from, String to) {
    }

    @GetMapping
    @Operation(summary = "List webhook endpoints", description = "Oldest first; never contains a secret.")
    List<WebhookJson.Endpoint> list(ApiCaller caller) {
        ApiAccess.requireManager(caller);
        return webhooks.list(caller.tenantId()).stream()
                .filter(endpoint -> visible(caller, endpoint))
                .map(endpoint -> WebhookJson.Endpoint.of(endpoint, null)).toList();
    }

    @PostMapping
    @Operation(summary = "Create a webhook endpoint", description = "name, url (https://, public address), "
            + "environment (production, development, sandbox; default production), events (event types, at least "
            + "one). Returns the endpoint with its signing secret (whsec_...), the only time it is shown.")
    ResponseEntity<WebhookJson.Endpoint> create(ApiCaller caller, @RequestBody(required = false) EndpointBody body) {
        ApiAccess.requireManager(caller);
        if (body == null) {
            throw new KeysmithException.InvalidInput("name", "Send a JSON body with name, url and events.");
        }
        if (body.environment() != null && caller.environment() != Environment.PRODUCTION) {
            ApiAccess.requireEnvironment(caller, Environment.parse(body.environment()));
        }
        String environment = body.environment() == null && caller.environment() != Environment.PRODUCTION
                ? caller.environment().json() : body.environment();
        Webhooks.IssuedSecret issued = webhooks.create(caller.tenantId(),
                new Webhooks.EndpointSpec(body.name(), body.url(), environment, body.events()));
        WebhookEndpointView endpoint = issued.endpoint();
        if (Boolean.FALSE.equals(body.enabled())) {
            endpoint = webhooks.disable(caller.tenantId(), endpoint.id());
        }
        return ResponseEntity.status(HttpStatus.CREATED).header("Cache-Control", "no-store")
                .body(WebhookJson.Endpoint.of(endpoint, issued.secret()));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get one webhook endpoint")
    WebhookJson.Endpoint get(ApiCaller caller, @PathVariable String id) {
        return WebhookJson.Endpoint.of(owned(caller, id), null);
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change an endpoint", description = "Any of name, url, environment, events, enabled.")
    WebhookJson.Endpoint update(ApiCaller caller, @PathVariable String id, @RequestBody(required = false) EndpointBody body) {
        WebhookEndpointView endpoint = owned(caller, id);
        if (body == null) {
            return WebhookJson.Endpoint.of(endpoint, null);
        }
        if (body.environment() != null) {
            ApiAccess.requireEnvironment(caller, Environment.parse(body.environment()));
        }
        if (body.name() != null || body.url() != null || body.environment() != null || body.events() != null) {
            endpoint = webhooks.update(caller.tenantId(), endpoint.id(),
                    new Webhooks.EndpointSpec(body.name(), body.url(), body.environment(), body.events()));
        }
        if (body.enabled() != null) {
            endpoint = body.enabled() ? webhooks.enable(caller.tenantId(), endpoint.id())
                    : webhooks.disable(caller.tenantId(), endpoint.id());
        }
        return WebhookJson.Endpoint.of(endpoint, null);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete an endpoint", description = "Its secrets are erased and pending deliveries cancelled.")
    Map<String, Object> delete(ApiCaller caller, @PathVariable String id) {
        WebhookEndpointView endpoint = owned(caller, id);
        webhooks.delete(caller.tenantId(), endpoint.id());
        return Map.of("deleted", true);
    }

    @PostMapping("/{id}/rotate-secret")
    @Operation(summary = "Rotate the signing secret", description = "Returns the new secret once. overlapSeconds "
            + "(0..604800, default 86400): how long the previous secret keeps signing too (two signatures).")
    ResponseEntity<WebhookJson.Endpoint> rotate(ApiCaller caller, @PathVariable String id,
                                                @RequestBody(required = false) RotateBody body) {
        WebhookEndpointView endpoint = owned(caller, id);
        Duration overlap = body == null || body.overlapSeconds() == null ? null : Duration.ofSeconds(body.overlapSeconds());
        Webhooks.IssuedSecret issued = webhooks.rotateSecret(caller.tenantId(), endpoint.id(), overlap);
        return ResponseEntity.ok().header("Cache-Control", "no-store")
                .body(WebhookJson.Endpoint.of(issued.endpoint(), issued.secret()));
    }

    @PostMapping("/{id}/test")
    @Operation(summary = "Send a test event", description = "Queues a webhook.test message to this endpoint; "
            + "returns its delivery (202).")
    ResponseEntity<WebhookJson.Delivery> test(ApiCaller caller, @PathVariable String id) {
        WebhookEndpointView endpoint = owned(caller, id);
        return ResponseEntity.accepted().body(WebhookJson.Delivery.summary(webhooks.sendTest(caller.tenantId(), endpoint.id())));
    }

    @GetMapping("/{id}/deliveries")
    @Operation(summary = "The endpoint's delivery log", description = "Newest first. Filters: status (pending, "
            + "succeeded, failed, cancelled), eventType, from/to (ISO-8601 instants); limit 1..100 (default 50); "
            + "next: the cursor of the previous page.")
    Map<String, Object> deliveries(ApiCaller caller, @PathVariable String id,
                                   @RequestParam(required = false) String status,
                                   @RequestParam(required = false) String eventType,
                                   @RequestParam(required = false) String from,
                                   @RequestParam(required = false) String to,
                                   @RequestParam(required = false) String next,
                                   @RequestParam(defaultValue = "50") int limit) {
        WebhookEndpointView endpoint = owned(caller, id);
        Webhooks.DeliveryPage page = webhooks.deliveries(caller.tenantId(), endpoint.id(),
                new Webhooks.DeliveryFilter(status == null || status.isBlank() ? null : DeliveryView.Status.parse(status),
                        eventType(eventType), instant("from", from), instant("to", to)), next, limit);
        java.util.Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("items", page.items().stream().map(WebhookJson.Delivery::summary).toList());
        answer.put("next", page.next());
        return answer;
    }

    @GetMapping("/{id}/deliveries/{deliveryId}")
    @Operation(summary = "One delivery with its payload and every attempt (status, latency, response excerpt, "
            + "error, the exact signed headers)")
    WebhookJson.Delivery delivery(ApiCaller caller, @PathVariable String id, @PathVariable String deliveryId) {
        WebhookEndpointView endpoint = owned(caller, id);
        DeliveryView delivery = webhooks.delivery(caller.tenantId(), endpoint.id(), deliveryId)
                .orElseThrow(Webhooks::deliveryNotFound);
        return WebhookJson.Delivery.full(delivery, payload(delivery.body()));
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/resend")
    @Operation(summary = "Resend a message now", description = "The same message: same webhook-id and body, newly "
            + "signed with a new timestamp (subscribers that already processed it can skip it by its id).")
    ResponseEntity<WebhookJson.Delivery> resend(ApiCaller caller, @PathVariable String id, @PathVariable String deliveryId) {
        WebhookEndpointView endpoint = owned(caller, id);
        return ResponseEntity.accepted().body(WebhookJson.Delivery.summary(
                webhooks.resend(caller.tenantId(), endpoint.id(), deliveryId)));
    }

    @PostMapping("/{id}/redeliver-failed")
    @Operation(summary = "Redeliver every failed message of a time range", description = "from, to: ISO-8601 "
            + "instants (messages created in [from, to)). Returns how many were queued again.")
    Map<String, Object> redeliver(ApiCaller caller, @PathVariable String id, @RequestBody(required = false) RedeliverBody body) {
        WebhookEndpointView endpoint = owned(caller, id);
        if (body == null) {
            throw new KeysmithException.InvalidInput("from", "Send a JSON body with from and to.");
        }
        int count = webhooks.redeliverFailed(caller.tenantId(), endpoint.id(), instant("from", body.from()),
                instant("to", body.to()));
        return Map.of("redelivered", count);
    }

    private WebhookEndpointView owned(ApiCaller caller, String id) {
        ApiAccess.requireManager(caller);
        WebhookEndpointView endpoint = webhooks.find(caller.tenantId(), WebhookEndpointId.parse(id))
                .orElseThrow(Webhooks::endpointNotFound);
        ApiAccess.requireEnvironment(caller, endpoint.environment());
        return endpoint;
    }

    private static boolean visible(ApiCaller caller, WebhookEndpointView endpoint) {
        return caller.environment() == Environment.PRODUCTION || caller.environment() == endpoint.environment();
    }

    private Object payload(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            return body;
        }
    }

    private static EventType eventType(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        EventType type = EventType.of(raw);
        if (type == null) {
            throw new KeysmithException.InvalidInput("eventType", "Unknown event type \"" + raw
                    + "\": see /docs/webhooks.");
        }
        return type;
    }

    static Instant instant(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(raw.strip());
        } catch (DateTimeParseException e) {
            throw new KeysmithException.InvalidInput(field, field + " must be an ISO-8601 instant such as "
                    + "2026-11-23T10:00:00Z.");
        }
    }
}
