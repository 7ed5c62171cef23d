package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An endpoint that never succeeds is first flagged (warning) and then disabled with an endpoint.disabled message to
 * the workspace's other endpoints. Its own context: the warning and disabling periods are compressed to seconds,
 * which would disturb the other tests' failing receivers.
 */
@KeysmithIntegrationTest
@DirtiesContext
@TestPropertySource(properties = {"keysmith.webhooks.warn-after=1s", "keysmith.webhooks.disable-after=4s",
        "keysmith.webhooks.retry-schedule=0s,500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms"})
class WebhooksFailingEndpointIntegrationTests {

    static final Duration WAIT = Duration.ofSeconds(60);

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;

    @Test
    void failingWithoutASuccessWarnsThenDisablesAndTellsTheOtherEndpoints() throws Exception {
        Api api = new Api(port);
        TenantId tenant = accounts.signUp("Failing", TestData.email("failing"), TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
        String key = keys.create(tenant, new ApiKeys.NewKey("Admin", "production", null, List.of(), null)).secret();
        try (Receiver receiver = new Receiver()) {
            receiver.always("/broken", Receiver.Response.status(500));
            String broken = api.post("/api/v1/webhooks", key, Map.of("name", "Broken", "url", receiver.url("/broken"),
                    "events", List.of("key.created"))).json().get("id").asText();
            api.post("/api/v1/webhooks", key, Map.of("name", "Ops", "url", receiver.url("/ops"),
                    "events", List.of("endpoint.disabled")));
            api.post("/api/v1/keys", key, Map.of("name", "Trigger", "environment", "production"));

            Receiver.await("the failing warning", WAIT, () -> {
                JsonNode endpoint = api.get("/api/v1/webhooks/" + broken, key).json();
                return endpoint.get("failingWarning").asBoolean() && endpoint.get("enabled").asBoolean();
            });
            assertThat(api.get("/api/v1/webhooks/" + broken, key).json().get("lastSuccessAt").isNull()).isTrue();

            Receiver.await("the endpoint to be disabled", WAIT, () -> !api.get("/api/v1/webhooks/" + broken, key)
                    .json().get("enabled").asBoolean());
            JsonNode disabled = api.get("/api/v1/webhooks/" + broken, key).json();
            assertThat(disabled.get("disabledReason").asText()).isEqualTo("failing");
            assertThat(disabled.get("disabledDetail").asText()).startsWith("No successful delivery since");
            Receiver.await("endpoint.disabled at the other endpoint", WAIT, () -> receiver.requests("/ops").size() == 1);
            JsonNode notice = Api.JSON.readTree(receiver.requests("/ops").get(0).body());
            assertThat(notice.get("type").asText()).isEqualTo("endpoint.disabled");
            assertThat(notice.get("data").get("reason").asText()).isEqualTo("failing");

            // enabling again starts a fresh failure count
            JsonNode enabled = api.patch("/api/v1/webhooks/" + broken, key, Map.of("enabled", true)).json();
            assertThat(enabled.get("enabled").asBoolean()).isTrue();
            assertThat(enabled.get("failingSince").isNull()).isTrue();
            assertThat(enabled.get("failingWarning").asBoolean()).isFalse();
        }
    }
}
