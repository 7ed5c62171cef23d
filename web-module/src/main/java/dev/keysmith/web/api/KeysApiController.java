package dev.keysmith.web.api;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.RevocationReason;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Key management over the API, for the caller's own workspace. */
@RestController
@RequestMapping("/api/v1/keys")
@Tag(name = "Keys", description = "Create, list, rotate, edit and revoke the workspace's API keys")
@SecurityRequirement(name = "bearer")
class KeysApiController {

    private final ApiKeys keys;

    KeysApiController(ApiKeys keys) {
        this.keys = keys;
    }

    record CreateKey(String alias, String name, String environment, List<String> ips, String expires, String brand) {
    }

    record UpdateKey(String alias, String name, List<String> ips) {
    }

    record Rotate(Long gracePeriodSeconds) {
    }

    @GetMapping
    @Operation(summary = "List keys", description = "Oldest first; offset/limit paging (limit 1..64, default 64). "
            + "Development and Sandbox keys see only keys of their own environment. Never contains a secret.")
    List<KeyJson> list(ApiCaller caller,
                       @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "64") int limit) {
        ApiAccess.requireManager(caller);
        Environment only = caller.environment() == Environment.PRODUCTION ? null : caller.environment();
        return keys.list(caller.tenantId(), only, offset, limit, false).stream().map(KeyJson::of).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get one key")
    KeyJson get(ApiCaller caller, @PathVariable String id) {
        return KeyJson.of(owned(caller, id));
    }

    @PostMapping
    @Operation(summary = "Create a key", description = "Returns the key with its secret, the only time it is shown. "
            + "expires: an ISO-8601 instant, or a date meaning the end of that day (UTC).")
    ResponseEntity<KeyJson> create(ApiCaller caller, @RequestBody CreateKey body) {
        ApiAccess.requireManager(caller);
        if (body == null) {
            throw new KeysmithException.InvalidInput("name", "Send a JSON body with at least name and environment.");
        }
        String environment = body.environment();
        if (environment != null && caller.environment() != Environment.PRODUCTION) {
            ApiAccess.requireEnvironment(caller, Environment.parse(environment));
        }
        ApiKeys.IssuedKey issued = keys.create(caller.tenantId(), new ApiKeys.NewKey(
                body.name() != null ? body.name() : body.alias(), environment, expires(body.expires()), body.ips(),
                body.brand()));
        return ResponseEntity.status(HttpStatus.CREATED).header("Cache-Control", "no-store")
                .body(KeyJson.of(issued.key(), issued.secret()));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Rename a key and/or change its IP allowlist")
    KeyJson update(ApiCaller caller, @PathVariable String id, @RequestBody UpdateKey body) {
        ApiKeyId key = managed(caller, id);
        String name = body == null ? null : body.name() != null ? body.name() : body.alias();
        return KeyJson.of(keys.update(caller.tenantId(), key, name, body == null ? null : body.ips()));
    }

    @PostMapping("/{id}/rotate")
    @Operation(summary = "Rotate a key's secret", description = "Returns the new secret once. gracePeriodSeconds "
            + "(0..604800, default 0) keeps the previous secret working that long, never beyond the key's expiry.")
    ResponseEntity<KeyJson> rotate(ApiCaller caller, @PathVariable String id,
                                   @RequestBody(required = false) Rotate body) {
        ApiKeyId key = managed(caller, id);
        long seconds = body == null || body.gracePeriodSeconds() == null ? 0 : body.gracePeriodSeconds();
        if (seconds < 0 || seconds > Duration.ofDays(7).toSeconds()) {
            throw new KeysmithException.InvalidInput("gracePeriodSeconds",
                    "gracePeriodSeconds must be between 0 and 604800 (7 days); it is " + seconds + ".");
        }
        ApiKeys.IssuedKey issued = keys.rotate(caller.tenantId(), key, Duration.ofSeconds(seconds));
        return ResponseEntity.ok().header("Cache-Control", "no-store").body(KeyJson.of(issued.key(), issued.secret()));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke a key", description = "Permanent and immediate; the key stays listed as revoked. "
            + "reason: manual (default), leaked, no_longer_needed.")
    Map<String, Object> revoke(ApiCaller caller, @PathVariable String id,
                               @RequestParam(required = false) String reason) {
        ApiKeyId key = managed(caller, id);
        keys.revoke(caller.tenantId(), key, RevocationReason.parse(reason));
        return Map.of("revoked", true);
    }

    private ApiKeyView owned(ApiCaller caller, String id) {
        ApiAccess.requireManager(caller);
        ApiKeyView key = keys.find(caller.tenantId(), ApiKeyId.parse(id))
                .orElseThrow(() -> new KeysmithException.NotFound("key_not_found",
                        "There is no API key with this id in this workspace."));
        ApiAccess.requireEnvironment(caller, key.environment());
        return key;
    }

    /** A key the caller may change: commands then answer from the event store (no key table read). */
    private ApiKeyId managed(ApiCaller caller, String id) {
        ApiAccess.requireManager(caller);
        ApiKeyId keyId = ApiKeyId.parse(id);
        ApiAccess.requireEnvironment(caller, keys.environment(caller.tenantId(), keyId));
        return keyId;
    }

    static Instant expires(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(raw.strip());
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(raw.strip()).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new KeysmithException.InvalidInput("expires", "expires must be an ISO-8601 instant "
                        + "(2027-01-31T00:00:00Z) or a date (2027-01-31); got \"" + raw + "\".");
            }
        }
    }
}
