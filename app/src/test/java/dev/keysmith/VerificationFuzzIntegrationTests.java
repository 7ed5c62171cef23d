package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.KeySecrets;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed, truncated and near-miss Authorization headers over real HTTP (printable ASCII: what an HTTP client
 * can send; the full Unicode corpus of 12,000 runs in-process in VerificationFuzzTests): 0 accepted, 0 server errors.
 */
@KeysmithIntegrationTest
class VerificationFuzzIntegrationTests {

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;

    @Test
    void twoThousandBadHeadersNoneAcceptedNoServerError() {
        TenantId tenant = accounts.signUp("Fuzz", TestData.email("fuzz"), TestData.PASSWORD, Plan.PRO).tenantId();
        String valid = keys.create(tenant, new ApiKeys.NewKey("Target", "production", null, List.of(), null)).secret();
        Api api = new Api(port);
        Random random = new Random(20261123L);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=.:,\"'";
        int sent = 0;
        int accepted = 0;
        int serverErrors = 0;
        while (sent < 2_000) {
            String candidate = switch (random.nextInt(6)) {
                case 0 -> valid.substring(0, 1 + random.nextInt(valid.length() - 1));
                case 1 -> {
                    char[] chars = valid.toCharArray();
                    int at = 8 + random.nextInt(chars.length - 8);
                    char replacement;
                    do {
                        replacement = alphabet.charAt(random.nextInt(alphabet.length()));
                    } while (replacement == chars[at]);
                    chars[at] = replacement;
                    yield new String(chars);
                }
                case 2 -> valid + alphabet.charAt(random.nextInt(alphabet.length()));
                case 3 -> {
                    String body = "ks_live_" + "Q".repeat(32 - 4) + random.nextInt(9000) + 1000;
                    body = body.substring(0, 40);
                    yield body + KeySecrets.checksum(body);
                }
                case 4 -> "ks_live_" + "a".repeat(random.nextInt(4000));
                default -> {
                    StringBuilder noise = new StringBuilder();
                    for (int i = random.nextInt(80); i > 0; i--) {
                        noise.append(alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                    yield noise.toString();
                }
            };
            String header = List.of("Bearer %s", "%s", "Bearer Bearer %s", "Bearer%s", "Token %s")
                    .get(random.nextInt(5)).replace("%s", candidate);
            if (header.strip().equals("Bearer " + valid) || header.isBlank()) {
                continue;
            }
            Api.Response response = api.send("GET", "/api/v1/whoami", null, null, Map.of("Authorization", header));
            sent++;
            if (response.status() == 200) {
                accepted++;
            }
            if (response.status() >= 500) {
                serverErrors++;
            }
        }
        assertThat(accepted).isZero();
        assertThat(serverErrors).isZero();
        assertThat(api.get("/api/v1/whoami", valid).status()).isEqualTo(200);
    }
}
