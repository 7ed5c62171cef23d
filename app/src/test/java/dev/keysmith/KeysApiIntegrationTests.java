package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The key management API over real HTTP: every operation, every refusal, and the limit under concurrency. */
@KeysmithIntegrationTest
class KeysApiIntegrationTests {

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;

    Api api;
    TenantId tenant;
    String adminKey;

    @BeforeEach
    void tenantWithAKey() {
        api = new Api(port);
        tenant = accounts.signUp("Api", TestData.email("api"), TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
        adminKey = keys.create(tenant, new ApiKeys.NewKey("Admin automation", "production", null, List.of(), null))
                .secret();
    }

    @Test
    void aUrlTheFirewallRefusesAnswersProblemJsonNotTheFrameworksErrorBody() {
        for (String path : List.of("/api/v1/keys//rotate", "/api/v1/keys/%2e%2e/rotate")) {
            Api.Response refused = api.post(path, adminKey, Map.of());
            assertThat(refused.status()).as(path).isEqualTo(400);
            assertThat(refused.header("Content-Type")).as(path).startsWith("application/problem+json");
            assertThat(refused.code()).as(path).isEqualTo("invalid_request");
            assertThat(refused.json().get("detail").asText()).as(path).contains("not accepted");
        }
    }

    @Test
    void createListGetRotateRevoke() {
        Api.Response created = api.post("/api/v1/keys", adminKey, Map.of("alias", "Billing service",
                "environment", "sandbox", "ips", List.of("10.1.2.3/8", "2001:db8::1"), "expires", "2031-01-31"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode key = created.json();
        String secret = key.get("secret").asText();
        assertThat(secret).matches("ks_test_[0-9A-Za-z]{38}");
        assertThat(key.get("name").asText()).isEqualTo("Billing service");
        assertThat(key.get("alias").asText()).isEqualTo("Billing service");
        assertThat(key.get("key").asText()).isEqualTo(key.get("id").asText());
        assertThat(key.get("environment").asText()).isEqualTo("sandbox");
        assertThat(key.get("prefix").asText()).isEqualTo(secret.substring(0, 12));
        assertThat(key.get("last4").asText()).isEqualTo(secret.substring(secret.length() - 4));
        assertThat(key.get("ips")).extracting(JsonNode::asText).containsExactly("10.0.0.0/8", "2001:db8::1");
        assertThat(key.get("expires").asText()).isEqualTo("2031-02-01T00:00:00Z");
        assertThat(key.get("status").asText()).isEqualTo("active");
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        String id = key.get("id").asText();

        Api.Response list = api.get("/api/v1/keys?offset=0&limit=64", adminKey);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).hasSize(2);
        assertThat(list.raw().body()).doesNotContain(secret).doesNotContain("secret").doesNotContain(adminKey);

        assertThat(api.get("/api/v1/keys/" + id, adminKey).json().get("name").asText()).isEqualTo("Billing service");

        Api.Response patched = api.patch("/api/v1/keys/" + id, adminKey, Map.of("name", "Billing v2", "ips", List.of()));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("name").asText()).isEqualTo("Billing v2");
        assertThat(patched.json().get("ips")).isEmpty();

        Api.Response rotated = api.post("/api/v1/keys/" + id + "/rotate", adminKey, Map.of("gracePeriodSeconds", 3600));
        assertThat(rotated.status()).isEqualTo(200);
        String newSecret = rotated.json().get("secret").asText();
        assertThat(newSecret).isNotEqualTo(secret).startsWith("ks_test_");
        assertThat(rotated.json().get("status").asText()).isEqualTo("rotating");
        assertThat(rotated.json().get("rotatedAt").asText()).isNotBlank();
        assertThat(api.get("/api/v1/whoami", secret).status()).as("old secret within the grace period").isEqualTo(200);
        assertThat(api.get("/api/v1/whoami", newSecret).status()).isEqualTo(200);

        Api.Response revoked = api.delete("/api/v1/keys/" + id + "?reason=leaked", adminKey);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("revoked").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/whoami", newSecret).code()).isEqualTo("key_revoked");
        assertThat(api.get("/api/v1/whoami", secret).code()).isEqualTo("key_revoked");
        assertThat(api.get("/api/v1/keys/" + id, adminKey).json().get("status").asText()).isEqualTo("revoked");
        Api.Response again = api.delete("/api/v1/keys/" + id, adminKey);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("key_already_revoked");
    }

    @Test
    void rotationWithoutGraceKillsTheOldSecretAtOnce() {
        Api.Response created = api.post("/api/v1/keys", adminKey, Map.of("name", "Worker", "environment", "development"));
        String old = created.json().get("secret").asText();
        String id = created.json().get("id").asText();
        Api.Response rotated = api.post("/api/v1/keys/" + id + "/rotate", adminKey, null);
        assertThat(rotated.status()).isEqualTo(200);
        Api.Response refused = api.get("/api/v1/whoami", old);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.code()).isEqualTo("key_rotated");
        assertThat(refused.json().get("rotatedAt").asText()).isNotBlank();
        assertThat(api.get("/api/v1/whoami", rotated.json().get("secret").asText()).status()).isEqualTo(200);
    }

    @Test
    void aGracePeriodCannotOutliveTheKey() {
        String expires = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        Api.Response created = api.post("/api/v1/keys", adminKey, Map.of("name", "Short lived", "environment",
                "production", "expires", expires));
        Api.Response refused = api.post("/api/v1/keys/" + created.json().get("id").asText() + "/rotate", adminKey,
                Map.of("gracePeriodSeconds", 86400));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("gracePeriodSeconds");
        assertThat(refused.json().get("detail").asText()).contains("after the key itself expires");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            blank name            | {"name":" ","environment":"production"}                          | name
            200-character name    | {"name":"%s","environment":"production"}                         | name
            unknown environment   | {"name":"A","environment":"staging"}                             | environment
            no environment        | {"name":"A"}                                                     | environment
            expiry in the past    | {"name":"A","environment":"production","expires":"2020-01-01"}   | expires
            expiry not a date     | {"name":"A","environment":"production","expires":"tomorrow"}     | expires
            prefix beyond 32      | {"name":"A","environment":"production","ips":["10.0.0.0/33"]}    | ips
            mapped prefix 200     | {"name":"A","environment":"production","ips":["::ffff:1.2.3.4/200"]} | ips
            wildcard address      | {"name":"A","environment":"production","ips":["10.*.*.*"]}       | ips
            unknown brand         | {"name":"A","environment":"production","brand":"Nope"}           | brand
            """)
    void badInputIsRefusedPreciselyAndStoresNothing(String label, String body, String field) {
        int before = keys.list(tenant, 0, 64, true).size();
        Api.Response refused = api.post("/api/v1/keys", adminKey, body.formatted("x".repeat(200)));
        assertThat(refused.status()).as(label).isEqualTo(400);
        assertThat(refused.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.code()).isEqualTo("invalid_request");
        assertThat(refused.json().get("errors")).extracting(error -> error.get("field").asText()).contains(field);
        assertThat(refused.json().get("type").asText()).endsWith("/docs/errors/invalid_request");
        assertThat(refused.json().get("instance").asText()).isEqualTo("/api/v1/keys");
        assertThat(keys.list(tenant, 0, 64, true)).hasSize(before);
    }

    @Test
    void malformedAndOversizedBodiesAndBadPagingAreRefused() {
        Api.Response malformed = api.post("/api/v1/keys", adminKey, "{\"name\": \"A\", ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.code()).isEqualTo("malformed_json");
        Api.Response oversized = api.post("/api/v1/keys", adminKey, "{\"name\":\"" + "x".repeat(70_000) + "\"}");
        assertThat(oversized.status()).isEqualTo(413);
        assertThat(oversized.code()).isEqualTo("payload_too_large");
        for (String limit : List.of("0", "65", "-1")) {
            Api.Response refused = api.get("/api/v1/keys?limit=" + limit, adminKey);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("limit");
        }
        assertThat(api.get("/api/v1/keys?limit=abc", adminKey).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/keys?offset=1&limit=1", adminKey).json()).isEmpty();
        assertThat(api.get("/api/v1/nothing-here", adminKey).code()).isEqualTo("not_found");
    }

    @Test
    void unknownAndOtherTenantsKeyIdsAnswer404() {
        TenantId other = accounts.signUp("Other", TestData.email("other"), TestData.PASSWORD, Plan.PRO).tenantId();
        String theirs = keys.create(other, new ApiKeys.NewKey("Theirs", "production", null, List.of(), null))
                .key().id().value();
        for (String id : List.of(theirs, "key_0000000000000000", "not-an-id")) {
            assertThat(api.get("/api/v1/keys/" + id, adminKey).status()).isEqualTo(404);
            assertThat(api.patch("/api/v1/keys/" + id, adminKey, Map.of("name", "x")).status()).isEqualTo(404);
            assertThat(api.post("/api/v1/keys/" + id + "/rotate", adminKey, null).status()).isEqualTo(404);
            Api.Response revoke = api.delete("/api/v1/keys/" + id, adminKey);
            assertThat(revoke.status()).isEqualTo(404);
            assertThat(revoke.code()).isEqualTo("key_not_found");
        }
        assertThat(keys.find(other, dev.keysmith.keys.ApiKeyId.parse(theirs)).orElseThrow().revokedAt()).isNull();
    }

    @Test
    void twentyParallelCreatesAgainstALimitOfTwoYieldExactlyTwo() throws Exception {
        TenantId pro = accounts.signUp("Race", TestData.email("race"), TestData.PASSWORD, Plan.PRO).tenantId();
        String key = keys.create(pro, new ApiKeys.NewKey("Admin", "production", null, List.of(), null)).secret();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Api.Response>> creates = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                creates.add(() -> api.post("/api/v1/keys", key, Map.of("name", "Racer " + n, "environment", "sandbox")));
            }
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> future : pool.invokeAll(creates)) {
                responses.add(future.get());
            }
            assertThat(responses).filteredOn(response -> response.status() == 201).hasSize(2);
            assertThat(responses).filteredOn(response -> response.status() == 409)
                    .hasSize(18)
                    .allSatisfy(response -> {
                        assertThat(response.code()).isEqualTo("key_limit_reached");
                        assertThat(response.json().get("limit").asInt()).isEqualTo(2);
                    });
        } finally {
            pool.shutdownNow();
        }
        assertThat(keys.list(pro, dev.keysmith.keys.Environment.SANDBOX, 0, 64, true)).hasSize(2);
    }

    @Test
    void theFreePlanMayNotCreateKeys() {
        TenantId free = accounts.signUp("Free", TestData.email("free"), TestData.PASSWORD, Plan.PRO).tenantId();
        String key = keys.create(free, new ApiKeys.NewKey("Admin", "production", null, List.of(), null)).secret();
        accounts.changePlan(free, Plan.FREE);
        Api.Response refused = api.post("/api/v1/keys", key, Map.of("name", "More", "environment", "production"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("plan_upgrade_required");
    }

    @Test
    void sandboxKeysManageOnlySandboxKeysAndTemporaryKeysManageNothing() {
        String sandbox = keys.create(tenant, new ApiKeys.NewKey("Sandbox admin", "sandbox", null, List.of(), null))
                .secret();
        Api.Response refused = api.post("/api/v1/keys", sandbox, Map.of("name", "Live", "environment", "production"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("environment_not_allowed");
        assertThat(api.get("/api/v1/keys", sandbox).json()).extracting(k -> k.get("environment").asText())
                .containsOnly("sandbox");

        long team = directory.tenant(tenant).orElseThrow().teamNumber();
        Api.Response temporary = api.send("POST", "/api/v1/keys/temporary-key", null,
                Map.of("subaccount", "acme-sub", "selectedTeamId", team, "isTestmode", true),
                Map.of("CERTS-TOKEN", "test-certs-token"));
        assertThat(temporary.status()).isEqualTo(200);
        String temporaryKey = temporary.json().get("key").asText();
        assertThat(temporaryKey).startsWith("ks_test_");
        assertThat(temporary.json().get("selectedTeamId").asLong()).isEqualTo(team);
        assertThat(Instant.parse(temporary.json().get("expires").asText()))
                .isBetween(Instant.now().plusSeconds(14 * 60), Instant.now().plusSeconds(15 * 60 + 5));
        assertThat(api.get("/api/v1/whoami", temporaryKey).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/keys", temporaryKey).code()).isEqualTo("permission_denied");

        Api.Response wrongToken = api.send("POST", "/api/v1/keys/temporary-key", null,
                Map.of("selectedTeamId", team), Map.of("CERTS-TOKEN", "wrong"));
        assertThat(wrongToken.status()).isEqualTo(401);
        Api.Response unknownTeam = api.send("POST", "/api/v1/keys/temporary-key", null,
                Map.of("selectedTeamId", 1), Map.of("CERTS-TOKEN", "test-certs-token"));
        assertThat(unknownTeam.status()).isEqualTo(404);
    }

    @Test
    void verifyTellsATenantsServicesAboutItsOwnKeysOnly() {
        Api.Response created = api.post("/api/v1/keys", adminKey, Map.of("name", "Partner", "environment",
                "production", "ips", List.of("203.0.113.0/24")));
        String secret = created.json().get("secret").asText();
        Api.Response valid = api.post("/api/v1/keys/verify", adminKey, Map.of("key", secret));
        assertThat(valid.status()).isEqualTo(200);
        assertThat(valid.json().get("valid").asBoolean()).isTrue();
        assertThat(valid.json().get("keyId").asText()).isEqualTo(created.json().get("id").asText());
        assertThat(valid.json().get("name").asText()).isEqualTo("Partner");
        Api.Response fromOutside = api.post("/api/v1/keys/verify", adminKey, Map.of("key", secret, "ip", "198.51.100.1"));
        assertThat(fromOutside.json().get("valid").asBoolean()).isFalse();
        assertThat(fromOutside.json().get("code").asText()).isEqualTo("ip_not_allowed");
        assertThat(api.post("/api/v1/keys/verify", adminKey, Map.of("key", "ks_live_nope")).json().get("code").asText())
                .isEqualTo("malformed_key");

        TenantId other = accounts.signUp("Elsewhere", TestData.email("else"), TestData.PASSWORD, Plan.PRO).tenantId();
        String foreign = keys.create(other, new ApiKeys.NewKey("Foreign", "production", null, List.of(), null)).secret();
        Api.Response foreignVerdict = api.post("/api/v1/keys/verify", adminKey, Map.of("key", foreign));
        assertThat(foreignVerdict.status()).isEqualTo(200);
        assertThat(foreignVerdict.json().get("valid").asBoolean()).isFalse();
        assertThat(foreignVerdict.json().get("code").asText()).isEqualTo("unknown_key");
        assertThat(foreignVerdict.raw().body()).doesNotContain("Foreign");
        keys.revoke(other, new dev.keysmith.keys.ApiKeyId(keys.list(other, 0, 64, true).get(0).id().value()),
                dev.keysmith.keys.RevocationReason.LEAKED);
        Api.Response foreignRevoked = api.post("/api/v1/keys/verify", adminKey, Map.of("key", foreign));
        assertThat(foreignRevoked.json().get("code").asText()).as("another tenant's revoked key is not revealed")
                .isEqualTo("unknown_key");
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() {
        Api.Response docs = api.get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("paths").has("/api/v1/keys")).isTrue();
        assertThat(docs.json().get("paths").has("/api/v1/keys/{id}/rotate")).isTrue();
        assertThat(docs.json().get("components").get("securitySchemes").has("bearer")).isTrue();
        JsonNode whoami = docs.json().get("paths").get("/api/v1/whoami").get("get").get("responses");
        assertThat(whoami.get("401").get("description").asText()).contains("key_revoked", "malformed_key");
        assertThat(whoami.get("403").get("description").asText()).contains("ip_not_allowed");
        JsonNode create = docs.json().get("paths").get("/api/v1/keys").get("post").get("responses");
        assertThat(create.get("409").get("description").asText()).contains("key_limit_reached");
        assertThat(create.get("429").get("description").asText()).contains("rate_limited");
    }

    @Autowired
    dev.keysmith.keys.TenantDirectory directory;
}
