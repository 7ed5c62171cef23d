package dev.keysmith.web.api;

import com.fasterxml.jackson.annotation.JsonAlias;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.KeysProperties;
import dev.keysmith.keys.KeysmithException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;

/**
 * The seed's internal route for short-lived keys, authenticated by the server-configured service token in the
 * {@code CERTS-TOKEN} header ({@code KEYSMITH_CERTS_TOKEN}); without that setting the route does not exist.
 */
@RestController
@Tag(name = "Temporary keys", description = "Short-lived keys for a team, for internal services")
class TemporaryKeyApiController {

    private final ApiKeys keys;
    private final KeysProperties properties;

    TemporaryKeyApiController(ApiKeys keys, KeysProperties properties) {
        this.keys = keys;
        this.properties = properties;
    }

    record TemporaryKeyRequest(String subaccount, Object selectedTeamId,
                               @JsonAlias("is_testmode") Boolean isTestmode) {
    }

    record TemporaryKey(String key, long selectedTeamId, Instant expires) {
    }

    @PostMapping("/api/v1/keys/temporary-key")
    @Operation(summary = "Create a temporary key", description = "Header CERTS-TOKEN: the service token. "
            + "Body {subaccount, selectedTeamId, isTestmode}: a key valid for 15 minutes, Sandbox when isTestmode.")
    ResponseEntity<?> create(@RequestHeader(value = "CERTS-TOKEN", required = false) String token,
                             @RequestBody(required = false) TemporaryKeyRequest body, HttpServletRequest request) {
        if (!properties.temporaryKeysEnabled()) {
            return problem(request, 404, "not_found", "There is no such API route.");
        }
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                properties.certsToken().getBytes(StandardCharsets.UTF_8))) {
            return problem(request, 401, "invalid_service_token",
                    "Send the service token configured on the server in the CERTS-TOKEN header.");
        }
        if (body == null || body.selectedTeamId() == null) {
            throw new KeysmithException.InvalidInput("selectedTeamId", "selectedTeamId (the team number) is required.");
        }
        long team = teamNumber(body.selectedTeamId());
        ApiKeys.IssuedKey issued = keys.createTemporary(team, body.subaccount(),
                Boolean.TRUE.equals(body.isTestmode()));
        return ResponseEntity.ok().header("Cache-Control", "no-store")
                .body(new TemporaryKey(issued.secret(), team, issued.key().expires()));
    }

    private static long teamNumber(Object raw) {
        try {
            return raw instanceof Number number ? number.longValue() : Long.parseLong(raw.toString().strip());
        } catch (NumberFormatException e) {
            throw new KeysmithException.InvalidInput("selectedTeamId",
                    "selectedTeamId must be a team number; got \"" + raw + "\".");
        }
    }

    private static ResponseEntity<ProblemDetail> problem(HttpServletRequest request, int status, String code,
                                                         String detail) {
        return ApiExceptionHandler.problem(request, status, code, detail, Map.of());
    }
}
