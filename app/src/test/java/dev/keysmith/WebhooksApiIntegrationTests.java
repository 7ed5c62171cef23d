package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.bson.Document;
import com.mongodb.client.MongoDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook endpoint API: every operation, every refusal, tenant isolation, and no secret anywhere but once. */
@KeysmithIntegrationTest
class WebhooksApiIntegrationTests {

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;
    @Autowired
    MongoDatabase mongo;

    Api api;
    TenantId tenant;
    String adminKey;

    @BeforeEach
    void tenantWithAKey() {
        api = new Api(port);
        tenant = accounts.signUp("Hooks API", TestData.email("hooks-api"), TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
        adminKey = keys.create(tenant, new ApiKeys.NewKey("Admin automation", "production", null, List.of(), null))
                .secret();
    }

    @Test
    void createGetListUpdateDisableEnableDelete() {
        Api.Response created = api.post("/api/v1/webhooks", adminKey, Map.of("name", "Orders",
                "url", "https://93.184.216.34/hooks", "environment", "sandbox",
                "events", List.of("key.revoked", "key.created", "key.created")));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        JsonNode endpoint = created.json();
        String id = endpoint.get("id").asText();
        String secret = endpoint.get("secret").asText();
        assertThat(id).matches("whep_[0-9A-Za-z]{16}");
        assertThat(endpoint.get("events")).extracting(JsonNode::asText).containsExactly("key.created", "key.revoked");
        assertThat(endpoint.get("environment").asText()).isEqualTo("sandbox");
        assertThat(endpoint.get("enabled").asBoolean()).isTrue();
        assertThat(endpoint.get("secretFingerprint").asText()).matches("sha256:[0-9a-f]{12}");

        Api.Response got = api.get("/api/v1/webhooks/" + id, adminKey);
        assertThat(got.json().has("secret")).isFalse();
        assertThat(got.raw().body()).doesNotContain(secret);
        Api.Response list = api.get("/api/v1/webhooks", adminKey);
        assertThat(list.json()).hasSize(1);
        assertThat(list.raw().body()).doesNotContain(secret);

        Api.Response patched = api.patch("/api/v1/webhooks/" + id, adminKey, Map.of("name", "Orders v2",
                "events", List.of("key.rotated"), "enabled", false));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("name").asText()).isEqualTo("Orders v2");
        assertThat(patched.json().get("events")).extracting(JsonNode::asText).containsExactly("key.rotated");
        assertThat(patched.json().get("enabled").asBoolean()).isFalse();
        assertThat(patched.json().get("disabledReason").asText()).isEqualTo("manual");
        assertThat(api.patch("/api/v1/webhooks/" + id, adminKey, Map.of("enabled", true)).json().get("enabled")
                .asBoolean()).isTrue();

        // the secret is stored encrypted: no collection holds it in clear, no event carries it
        for (String collection : mongo.listCollectionNames()) {
            for (Document document : mongo.getCollection(collection).find()) {
                assertThat(document.toJson()).as(collection).doesNotContain(secret)
                        .doesNotContain(secret.substring("whsec_".length()));
            }
        }

        Api.Response deleted = api.delete("/api/v1/webhooks/" + id, adminKey);
        assertThat(deleted.json().get("deleted").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/webhooks/" + id, adminKey).code()).isEqualTo("webhook_not_found");
        assertThat(mongo.getCollection("webhook_secrets").countDocuments(new Document("endpointId", id))).isZero();
    }

    @Test
    void badInputIsRefusedFieldByField() {
        Api.Response refused = api.post("/api/v1/webhooks", adminKey, Map.of("name", " ",
                "url", "ftp://example.com/x", "environment", "staging", "events", List.of("key.deleted")));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("invalid_request");
        assertThat(refused.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(refused.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("name", "url", "environment", "events");

        for (String url : List.of("https://169.254.169.254/latest/meta-data", "https://10.1.2.3/",
                "https://user:pw@93.184.216.34/", "https://0x7f000001/", "not a url", "https://[::ffff:10.0.0.1]/")) {
            Api.Response bad = api.post("/api/v1/webhooks", adminKey, Map.of("name", "X", "url", url,
                    "events", List.of("key.created")));
            assertThat(bad.status()).as(url).isEqualTo(400);
            assertThat(bad.json().get("errors").get(0).get("field").asText()).as(url).isEqualTo("url");
        }
        assertThat(api.post("/api/v1/webhooks", adminKey, Map.of("name", "X", "url", "https://93.184.216.34/",
                "events", List.of())).json().get("errors").get(0).get("field").asText()).isEqualTo("events");
        assertThat(api.get("/api/v1/webhooks", adminKey).json()).isEmpty();

        String id = api.post("/api/v1/webhooks", adminKey, Map.of("name", "Y", "url", "https://93.184.216.34/",
                "events", List.of("key.created"))).json().get("id").asText();
        assertThat(api.post("/api/v1/webhooks/" + id + "/rotate-secret", adminKey, Map.of("overlapSeconds", -1))
                .code()).isEqualTo("invalid_request");
        assertThat(api.get("/api/v1/webhooks/" + id + "/deliveries?status=lost", adminKey).code())
                .isEqualTo("invalid_request");
        assertThat(api.get("/api/v1/webhooks/" + id + "/deliveries?limit=1000", adminKey).code())
                .isEqualTo("invalid_request");
        assertThat(api.post("/api/v1/webhooks/" + id + "/redeliver-failed", adminKey,
                Map.of("from", "2026-01-02T00:00:00Z", "to", "2026-01-01T00:00:00Z")).code()).isEqualTo("invalid_request");
        assertThat(api.post("/api/v1/webhooks/" + id + "/deliveries/dlv_nope/resend", adminKey, null).code())
                .isEqualTo("delivery_not_found");
    }

    @Test
    void anotherWorkspaceSeesNothingAndDevelopmentKeysOnlyTheirEnvironment() {
        String id = api.post("/api/v1/webhooks", adminKey, Map.of("name", "Mine", "url", "https://93.184.216.34/",
                "events", List.of("key.created"))).json().get("id").asText();
        TenantId other = accounts.signUp("Other", TestData.email("other"), TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
        String otherKey = keys.create(other, new ApiKeys.NewKey("Other", "production", null, List.of(), null)).secret();
        for (Api.Response response : List.of(api.get("/api/v1/webhooks/" + id, otherKey),
                api.patch("/api/v1/webhooks/" + id, otherKey, Map.of("name", "Stolen")),
                api.post("/api/v1/webhooks/" + id + "/test", otherKey, null),
                api.post("/api/v1/webhooks/" + id + "/rotate-secret", otherKey, null),
                api.get("/api/v1/webhooks/" + id + "/deliveries", otherKey),
                api.delete("/api/v1/webhooks/" + id, otherKey),
                api.get("/api/v1/webhooks/whep_not-an-id", otherKey))) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.code()).isEqualTo("webhook_not_found");
        }
        assertThat(api.get("/api/v1/webhooks", otherKey).json()).isEmpty();
        assertThat(api.get("/api/v1/webhooks/" + id, adminKey).json().get("name").asText()).isEqualTo("Mine");

        String devKey = keys.create(tenant, new ApiKeys.NewKey("Dev", "development", null, List.of(), null)).secret();
        assertThat(api.get("/api/v1/webhooks/" + id, devKey).code()).isEqualTo("environment_not_allowed");
        assertThat(api.get("/api/v1/webhooks", devKey).json()).isEmpty();
        Api.Response devCreated = api.post("/api/v1/webhooks", devKey, Map.of("name", "Dev hook",
                "url", "https://93.184.216.34/dev", "events", List.of("key.created")));
        assertThat(devCreated.status()).isEqualTo(201);
        assertThat(devCreated.json().get("environment").asText()).isEqualTo("development");
    }

    @Test
    void theDocsPagesArePublicAndListEveryType() {
        Api.Response catalog = api.get("/docs/webhooks", null);
        assertThat(catalog.status()).isEqualTo(200);
        for (String type : List.of("key.created", "key.updated", "key.rotated", "key.revoked", "key.expired",
                "key.usage_spike", "webhook.test", "endpoint.disabled")) {
            assertThat(catalog.raw().body()).contains("id=\"" + type + "\"");
        }
        Api.Response verify = api.get("/docs/webhooks/verify", null);
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.raw().body()).contains("com.standardwebhooks.Webhook").contains("standardwebhooks")
                .contains("openssl dgst").contains("raw body").contains("rAvfW3dJ/X/qxhsaXPOyyCGmRKsaKWcsNccKXlIktD0=");
        assertThat(api.get("/docs/errors/webhook_not_found", null).status()).isEqualTo(200);
    }
}
