package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fifty commands at once on one key, over HTTP: each ends as exactly one success or a clear refusal, and no update
 * is lost. The event store is the witness: the renames form one unbroken chain (each one's "from" is the previous
 * one's "to"), there is one rotation event per successful rotation, and only the last rotation's secret works.
 */
@KeysmithIntegrationTest
class ConcurrentCommandsIntegrationTests {

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void fiftyConcurrentRenamesAndRotationsOnOneKeyLoseNothing() throws Exception {
        Api api = new Api(port);
        TenantId tenant = accounts.signUp("Race", TestData.email("race"), TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
        String admin = keys.create(tenant, new ApiKeys.NewKey("Admin", "production", null, List.of(), null)).secret();
        JsonNode target = api.post("/api/v1/keys", admin, Map.of("name", "Contended", "environment", "production")).json();
        String id = target.get("id").asText();

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<Api.Response>> renames = new ArrayList<>();
        List<Future<Api.Response>> rotations = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                int n = i;
                Future<Api.Response> sent = pool.submit(() -> {
                    start.await();
                    return n % 2 == 0
                            ? api.patch("/api/v1/keys/" + id, admin, Map.of("name", "Name " + n))
                            : api.post("/api/v1/keys/" + id + "/rotate", admin, Map.of());
                });
                (n % 2 == 0 ? renames : rotations).add(sent);
            }
            start.countDown();
            int renamed = 0;
            List<String> secrets = new ArrayList<>();
            for (Future<Api.Response> rename : renames) {
                Api.Response response = rename.get();
                assertThat(response.status()).as(response.json().toString()).isIn(200, 409);
                if (response.status() == 200) {
                    renamed++;
                } else {
                    assertThat(response.code()).isEqualTo("concurrent_modification");
                }
            }
            for (Future<Api.Response> rotation : rotations) {
                Api.Response response = rotation.get();
                assertThat(response.status()).as(response.json().toString()).isIn(200, 409);
                if (response.status() == 200) {
                    secrets.add(response.json().get("secret").asText());
                } else {
                    assertThat(response.code()).isEqualTo("concurrent_modification");
                }
            }

            List<Map<String, Object>> events = jdbc.queryForList("select payloadtype, payload from domainevententry "
                    + "where aggregateidentifier = ? order by sequencenumber", id);
            List<JsonNode> renameEvents = new ArrayList<>();
            List<JsonNode> rotateEvents = new ArrayList<>();
            for (Map<String, Object> event : events) {
                JsonNode payload = Api.JSON.readTree((byte[]) event.get("payload"));
                String type = (String) event.get("payloadtype");
                if (type.endsWith("ApiKeyRenamed")) {
                    renameEvents.add(payload);
                } else if (type.endsWith("ApiKeyRotated")) {
                    rotateEvents.add(payload);
                }
            }
            assertThat(renameEvents).as("one event per acknowledged rename").hasSize(renamed);
            assertThat(rotateEvents).as("one event per acknowledged rotation").hasSize(secrets.size());
            String name = "Contended";
            for (JsonNode rename : renameEvents) {
                assertThat(rename.get("from").asText()).as("each rename starts from the previous one's result")
                        .isEqualTo(name);
                name = rename.get("to").asText();
            }
            System.out.printf("Figure: 50 concurrent commands on one key: %d renames and %d rotations acknowledged, %d refused "
                    + "as concurrent_modification, %d events for them in the store%n", renamed, secrets.size(),
                    50 - renamed - secrets.size(), renameEvents.size() + rotateEvents.size());
            Set<String> hashes = new HashSet<>();
            for (int i = 1; i < rotateEvents.size(); i++) {
                assertThat(rotateEvents.get(i).get("previousHash").asText()).as("each rotation replaces the last secret")
                        .isEqualTo(rotateEvents.get(i - 1).get("hash").asText());
                hashes.add(rotateEvents.get(i).get("hash").asText());
            }
            assertThat(hashes).hasSize(Math.max(0, rotateEvents.size() - 1));

            JsonNode finalKey = api.get("/api/v1/keys/" + id, admin).json();
            assertThat(finalKey.get("name").asText()).isEqualTo(name);
            int working = 0;
            for (String secret : secrets) {
                if (api.get("/api/v1/whoami", secret).status() == 200) {
                    working++;
                }
            }
            assertThat(working).as("only the last rotation's secret works").isEqualTo(secrets.isEmpty() ? 0 : 1);
        } finally {
            pool.shutdownNow();
        }
    }
}
