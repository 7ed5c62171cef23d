package dev.keysmith.web.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.Verification;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Verification for a tenant's own services, and the caller's identity. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Verification", description = "Verify keys that Keysmith issued for your workspace")
class VerifyApiController {

    private final Verification verification;

    VerifyApiController(Verification verification) {
        this.verification = verification;
    }

    record VerifyRequest(String key, String ip) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VerifyResponse(boolean valid, String code, String detail, String keyId, String name,
                          Environment environment, String brand, Instant expires, List<String> ips) {
    }

    @PostMapping("/keys/verify")
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Verify a key", description = "Always 200: {valid, code, ...}. Checks format, checksum, "
            + "status and, when ip is given, the key's allowlist. A key of another workspace is unknown_key.")
    VerifyResponse verify(ApiCaller caller, @RequestBody VerifyRequest body) {
        if (body == null || body.key() == null || body.key().isBlank()) {
            throw new KeysmithException.InvalidInput("key", "key is required: the key to verify.");
        }
        InetAddress ip = null;
        if (body.ip() != null && !body.ip().isBlank()) {
            ip = literal(body.ip().strip());
        }
        Verification.Result result = verification.verifyKey(body.key().strip(), null, ip, ip != null, Instant.now());
        if (result.key() != null && !result.key().tenantId().equals(caller.tenantId())) {
            return new VerifyResponse(false, "unknown_key",
                    "No API key of this workspace matches this value.", null, null, null, null, null, null);
        }
        if (!result.ok()) {
            return new VerifyResponse(false, result.code().code(), result.detail(), null, null, null, null, null, null);
        }
        var key = result.key();
        return new VerifyResponse(true, "ok", null, key.keyId().value(), key.name(), key.environment(), key.brand(),
                key.expires(), key.ips().entries());
    }

    @GetMapping("/whoami")
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "The calling key and its workspace")
    Map<String, Object> whoami(ApiCaller caller) {
        var key = caller.key();
        return Map.of("keyId", key.keyId().value(), "name", key.name(), "environment", key.environment(),
                "tenantId", caller.tenantId().value(), "clientId", caller.clientId(), "temporary", key.temporary());
    }

    @GetMapping("/ping")
    @Operation(summary = "Liveness of the API (no key needed)")
    Map<String, Object> ping() {
        return Map.of("pong", true);
    }

    private static InetAddress literal(String ip) {
        if (!ip.matches("[0-9A-Fa-f:.]{2,45}")) {
            throw new KeysmithException.InvalidInput("ip", "ip must be an IPv4 or IPv6 address; got \"" + ip + "\".");
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new KeysmithException.InvalidInput("ip", "ip must be an IPv4 or IPv6 address; got \"" + ip + "\".");
        }
    }
}
