package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeyCommands.RecordApiKeyUsage;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every request of a key is counted: ApiKeyUsed events feed "last used" and "usage" in the key table. */
@KeysmithIntegrationTest
class UsageIntegrationTests {

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;
    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void requestsServedAndRefusedAreCountedIntoTheKeyTable() throws Exception {
        TenantId tenant = accounts.signUp("Usage", TestData.email("usage"), TestData.PASSWORD, Plan.PRO).tenantId();
        ApiKeys.IssuedKey used = keys.create(tenant, new ApiKeys.NewKey("Worker", "production", null, List.of(), null));
        String observer = keys.create(tenant, new ApiKeys.NewKey("Observer", "production", null, List.of(), null)).secret();
        Api api = new Api(port);
        for (int i = 0; i < 150; i++) {
            assertThat(api.get("/api/v1/whoami", used.secret()).status()).isEqualTo(200);
        }
        for (int i = 0; i < 50; i++) {
            assertThat(api.get("/api/v1/keys/key_0000000000000000", used.secret()).status()).isEqualTo(404);
        }
        JsonNode row = awaitUsage(api, observer, used.key().id().value(), 200);
        assertThat(Instant.parse(row.get("lastUsed").asText())).isAfter(Instant.now().minusSeconds(60));

        List<Map<String, Object>> events = jdbc.queryForList("select payload from domainevententry where "
                + "aggregateidentifier = ? and payloadtype = 'dev.keysmith.keys.events.ApiKeyUsed'",
                used.key().id().value());
        long fourxx = events.stream().map(event -> Api.JSON.valueToTree(parse((byte[]) event.get("PAYLOAD"))))
                .mapToLong(json -> ((JsonNode) json).path("counts").path("4xx").asLong()).sum();
        assertThat(fourxx).as("404s counted as 4xx").isEqualTo(50);
    }

    @Test
    void aBusyKeyIsSnapshottedAndStillLoads() {
        TenantId tenant = accounts.signUp("Busy", TestData.email("busy"), TestData.PASSWORD, Plan.PRO).tenantId();
        ApiKeys.IssuedKey busy = keys.create(tenant, new ApiKeys.NewKey("Busy", "production", null, List.of(), null));
        Instant now = Instant.now();
        for (int i = 0; i < 120; i++) {
            commands.sendAndWait(new RecordApiKeyUsage(busy.key().id(), tenant, Map.of("2xx", 1L), now, now,
                    "203.0.113.7", List.of("203.0.113.7")));
        }
        Integer snapshots = jdbc.queryForObject("select count(*) from snapshotevententry where aggregateidentifier = ?",
                Integer.class, busy.key().id().value());
        assertThat(snapshots).isPositive();
        ApiKeys.IssuedKey rotated = keys.rotate(tenant, busy.key().id(), Duration.ZERO);
        assertThat(rotated.secret()).isNotEqualTo(busy.secret());
        assertThat(new Api(port).get("/api/v1/whoami", rotated.secret()).status()).isEqualTo(200);
        assertThat(keys.find(tenant, busy.key().id()).orElseThrow().usageCount()).isGreaterThanOrEqualTo(120);
    }

    private static JsonNode awaitUsage(Api api, String observer, String keyId, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode row;
        do {
            row = api.get("/api/v1/keys/" + keyId, observer).json();
            if (row.get("usageCount").asLong() >= expected) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(row.get("usageCount").asLong()).isEqualTo(expected);
        return row;
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return Api.JSON.readTree(payload);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
