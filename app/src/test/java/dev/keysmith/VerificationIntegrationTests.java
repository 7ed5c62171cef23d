package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.RevocationReason;
import dev.keysmith.keys.TenantDirectory;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every verification outcome over real HTTP, with its status, code, detail and docs link. */
@KeysmithIntegrationTest
class VerificationIntegrationTests {

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;
    @Autowired
    TenantDirectory directory;
    @Autowired
    JdbcTemplate jdbc;

    Api api;
    TenantId tenant;
    String clientId;
    String key;

    @BeforeEach
    void tenantWithAKey() {
        api = new Api(port);
        tenant = accounts.signUp("Verify", TestData.email("verify"), TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
        clientId = directory.tenant(tenant).orElseThrow().clientId();
        key = issue("Main", List.of());
    }

    @Test
    void everyRefusalHasItsCodeStatusAndDocs() {
        String revoked = issue("Revoked", List.of());
        keys.revoke(tenant, idOf(revoked), RevocationReason.LEAKED);
        String rotatedAway = issue("Rotated", List.of());
        keys.rotate(tenant, idOf(rotatedAway), Duration.ZERO);
        String elsewhere = issue("Allowlisted elsewhere", List.of("203.0.113.0/24", "2001:db8::/32"));
        String otherClientId = directory.tenant(accounts.signUp("Other", TestData.email("o"), TestData.PASSWORD,
                Plan.PRO).tenantId()).orElseThrow().clientId();
        String wellFormedUnknown = mutateChecksumPreserving(key);
        char last = key.charAt(key.length() - 1);
        String badChecksum = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');

        record Case(String label, Map<String, String> headers, int status, String code) {
        }
        List<Case> cases = List.of(
                new Case("no header", Map.of(), 401, "missing_authorization"),
                new Case("empty header", Map.of("Authorization", " "), 401, "missing_authorization"),
                new Case("key without Bearer", Map.of("Authorization", key), 401, "bearer_missing"),
                new Case("Basic scheme", Map.of("Authorization", "Basic dXNlcjpwYXNz"), 401, "bearer_missing"),
                new Case("Bearer Bearer", Map.of("Authorization", "Bearer Bearer " + key), 401, "bearer_repeated"),
                new Case("Bearerks_", Map.of("Authorization", "Bearer" + key), 401, "bearer_missing_space"),
                new Case("Bearer and nothing", Map.of("Authorization", "Bearer"), 401, "bearer_missing_space"),
                new Case("truncated key", Map.of("Authorization", "Bearer " + key.substring(0, 30)), 401, "malformed_key"),
                new Case("bad checksum", Map.of("Authorization", "Bearer " + badChecksum), 401, "malformed_key"),
                new Case("foreign format", Map.of("Authorization", "Bearer sk_live_123"), 401, "malformed_key"),
                new Case("unknown key", Map.of("Authorization", "Bearer " + wellFormedUnknown), 401, "unknown_key"),
                new Case("revoked", Map.of("Authorization", "Bearer " + revoked), 401, "key_revoked"),
                new Case("rotated", Map.of("Authorization", "Bearer " + rotatedAway), 401, "key_rotated"),
                new Case("other client id", Map.of("Authorization", "Bearer " + key, "X-Access-Client-Id", otherClientId),
                        401, "client_id_mismatch"),
                new Case("ip not allowed", Map.of("Authorization", "Bearer " + elsewhere), 403, "ip_not_allowed"),
                new Case("own client id", Map.of("Authorization", "Bearer " + key, "X-Access-Client-Id", clientId),
                        200, null),
                new Case("bearer in lower case", Map.of("Authorization", "bearer " + key), 200, null));
        for (Case c : cases) {
            Api.Response response = api.send("GET", "/api/v1/whoami", null, null, c.headers());
            assertThat(response.status()).as(c.label()).isEqualTo(c.status());
            if (c.code() != null) {
                assertThat(response.code()).as(c.label()).isEqualTo(c.code());
                assertThat(response.header("Content-Type")).as(c.label()).isEqualTo("application/problem+json");
                assertThat(response.json().get("detail").asText()).as(c.label()).isNotBlank().doesNotContain(key);
                String type = response.json().get("type").asText();
                assertThat(type).as(c.label()).endsWith("/docs/errors/" + c.code());
                assertThat(api.get(type.substring(type.indexOf("/docs/")), null).status()).as(c.label() + " docs")
                        .isEqualTo(200);
            }
        }
        Api.Response ip = api.send("GET", "/api/v1/whoami", null, null, Map.of("Authorization", "Bearer " + elsewhere));
        assertThat(ip.json().get("clientIp").asText()).isEqualTo("127.0.0.1");
        assertThat(ip.json().get("detail").asText()).contains("127.0.0.1");
    }

    @Test
    void anExpiredKeyIsRefusedFromItsExpiryAndTheSweeperRecordsIt() throws Exception {
        Instant expires = Instant.now().plusSeconds(2);
        ApiKeys.IssuedKey shortLived = keys.create(tenant, new ApiKeys.NewKey("Short", "production", expires, List.of(), null));
        assertThat(api.get("/api/v1/whoami", shortLived.secret()).status()).isEqualTo(200);
        Thread.sleep(Duration.between(Instant.now(), expires).toMillis() + 50);
        Api.Response refused = api.get("/api/v1/whoami", shortLived.secret());
        assertThat(refused.code()).isEqualTo("key_expired");
        assertThat(refused.json().get("expiredAt").asText()).isEqualTo(expires.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int recorded = 0;
        while (recorded == 0 && System.nanoTime() < deadline) {
            recorded = jdbc.queryForObject("select count(*) from domainevententry where aggregateidentifier = ? "
                    + "and payloadtype = 'dev.keysmith.keys.events.ApiKeyExpired'", Integer.class,
                    shortLived.key().id().value());
            Thread.sleep(100);
        }
        assertThat(recorded).as("ApiKeyExpired recorded by the sweeper").isEqualTo(1);
    }

    @Test
    void aForgedForwardedForIsIgnoredWithoutTrustedProxies() {
        String onlyFromElsewhere = issue("Only 198.51.100.7", List.of("198.51.100.7"));
        Api.Response refused = api.send("GET", "/api/v1/whoami", null, null, Map.of(
                "Authorization", "Bearer " + onlyFromElsewhere, "X-Forwarded-For", "198.51.100.7"));
        assertThat(refused.code()).isEqualTo("ip_not_allowed");
        assertThat(refused.json().get("clientIp").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void allowlistsMatchIpv4AndIpv6Callers() throws Exception {
        String v4Range = issue("Loopback range", List.of("127.0.0.0/8"));
        assertThat(api.get("/api/v1/whoami", v4Range).status()).isEqualTo(200);
        String v4Exact = issue("Exact", List.of("127.0.0.2"));
        assertThat(api.get("/api/v1/whoami", v4Exact).code()).isEqualTo("ip_not_allowed");

        Assumptions.assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback on this machine");
        Api v6 = new Api("http://[::1]:" + port);
        String v6Only = issue("IPv6 loopback", List.of("::1/128"));
        assertThat(v6.get("/api/v1/whoami", v6Only).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/whoami", v6Only).code()).as("an IPv4 caller against an IPv6 rule")
                .isEqualTo("ip_not_allowed");
        Api.Response v6Refused = v6.get("/api/v1/whoami", v4Range);
        assertThat(v6Refused.code()).isEqualTo("ip_not_allowed");
        assertThat(v6Refused.json().get("clientIp").asText()).isEqualTo("::1");
    }

    @Test
    void aRevokedKeyIsRefusedByTheVeryNextRequest100Times() {
        for (int i = 0; i < 100; i++) {
            ApiKeys.IssuedKey issued = keys.create(tenant, new ApiKeys.NewKey("Doomed " + i, "production", null,
                    List.of(), null));
            assertThat(api.get("/api/v1/whoami", issued.secret()).status()).isEqualTo(200);
            Api.Response revoke = api.delete("/api/v1/keys/" + issued.key().id().value(), key);
            assertThat(revoke.status()).isEqualTo(200);
            Api.Response next = api.get("/api/v1/whoami", issued.secret());
            assertThat(next.status()).as("request right after revocation #" + i).isEqualTo(401);
            assertThat(next.code()).isEqualTo("key_revoked");
        }
    }

    @Test
    void theFreePlanIsToldToUpgrade() {
        accounts.changePlan(tenant, Plan.FREE);
        Api.Response refused = api.get("/api/v1/whoami", key);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("plan_upgrade_required");
        accounts.changePlan(tenant, Plan.ENTERPRISE);
        assertThat(api.get("/api/v1/whoami", key).status()).isEqualTo(200);
    }

    private String issue(String name, List<String> ips) {
        return keys.create(tenant, new ApiKeys.NewKey(name, "production", null, ips, null)).secret();
    }

    private ApiKeyId idOf(String secret) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", secret);
        return new ApiKeyId(api.post("/api/v1/keys/verify", key, body).json().get("keyId").asText());
    }

    /** A key of the right shape and checksum that was never issued. */
    private static String mutateChecksumPreserving(String model) {
        String body = model.substring(0, 8) + "Z".repeat(32);
        return body + dev.keysmith.keys.KeySecrets.checksum(body);
    }

    private static boolean ipv6LoopbackWorks() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
