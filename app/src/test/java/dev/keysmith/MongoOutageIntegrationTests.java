package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MongoDB (the read models, the delivery queue) unreachable mid-traffic, its data intact: a TCP proxy in front of a
 * standalone mongo-java-server drops every connection, then lets them through again. Verification answers from
 * memory throughout, and so do commands: they answer with the aggregate's state, from the event store (create,
 * rename, rotate, revoke; a key created in the outage verifies at once, a revoked one is refused at once). When
 * MongoDB is back the key table catches up and the outage's webhooks are delivered. The command latencies in the
 * outage are printed as a figure (docs/reliability.md).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "keysmith.data-dir=target/it-data/${random.uuid}",
        "keysmith.keys.management-per-minute=100000",
        "keysmith.keys.usage-flush=500ms",
        "keysmith.webhooks.allow-insecure-targets=true",
        "keysmith.webhooks.poll-interval=100ms",
        "logging.level.org.mongodb.driver=OFF"})
@DirtiesContext
class MongoOutageIntegrationTests {

    static final MongoServer MONGO = start();
    static final TcpProxy PROXY = proxy(MONGO.getLocalAddress().getPort());

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;

    static MongoServer start() {
        MemoryBackend backend = new MemoryBackend();
        backend.version(ServerVersion.MONGO_5_0);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        return server;
    }

    static TcpProxy proxy(int port) {
        try {
            return new TcpProxy("127.0.0.1", port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("keysmith.mongodb-uri", () -> "mongodb://127.0.0.1:" + PROXY.port()
                + "/?serverSelectionTimeoutMS=2000&connectTimeoutMS=1000&socketTimeoutMS=3000");
        registry.add("keysmith.secrets-key", () -> "z9PuhCTySm4IVgj1rYAnsu1kT/JSSP4WZWDo0LZqD9s=");
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    @AfterAll
    static void stop() throws IOException {
        PROXY.close();
        MONGO.shutdownNow();
    }

    @Test
    void verificationServesCommandsAreAnsweredAndEverythingCatchesUpWhenMongoReturns() throws Exception {
        Api api = new Api(port);
        TenantId tenant = accounts.signUp("Mongo outage", TestData.email("mongo-outage"), TestData.PASSWORD,
                Plan.ENTERPRISE).tenantId();
        String admin = keys.create(tenant, new ApiKeys.NewKey("Admin", "production", null, List.of(), null)).secret();
        ApiKeys.IssuedKey target = keys.create(tenant, new ApiKeys.NewKey("Target", "production", null, List.of(), null));
        String targetId = target.key().id().value();
        try (Receiver receiver = new Receiver()) {
            receiver.always("/hook", Receiver.Response.status(204));
            assertThat(api.post("/api/v1/webhooks", admin, Map.of("name", "Outage receiver",
                    "url", receiver.url("/hook"), "events", List.of("key.updated"))).status()).isEqualTo(201);
            Thread.sleep(1_000); // the dispatcher's endpoint table has the endpoint

            PROXY.cut();
            assertThat(api.get("/actuator/health", null).status()).as("the whole health shows MongoDB down")
                    .isEqualTo(503);
            assertThat(api.get("/actuator/health/readiness", null).status())
                    .as("the node stays ready: it verifies and takes commands").isEqualTo(200);
            for (int i = 0; i < 20; i++) {
                assertThat(api.get("/api/v1/whoami", target.secret()).status()).as("verification from memory")
                        .isEqualTo(200);
            }
            // commands answer from the event store: the aggregate's state, not the key table
            long started = System.nanoTime();
            Api.Response rename = api.patch("/api/v1/keys/" + targetId, admin, Map.of("name", "Renamed in the outage"));
            double renameSeconds = seconds(started);
            assertThat(rename.status()).as(rename.raw().body()).isEqualTo(200);
            assertThat(rename.json().get("name").asText()).isEqualTo("Renamed in the outage");

            started = System.nanoTime();
            Api.Response create = api.post("/api/v1/keys", admin, Map.of("name", "Created in the outage",
                    "environment", "development"));
            double createSeconds = seconds(started);
            assertThat(create.status()).as(create.raw().body()).isEqualTo(201);
            String createdId = create.json().get("id").asText();
            String createdSecret = create.json().get("secret").asText();
            assertThat(createdSecret).startsWith("ks_dev_");
            assertThat(api.get("/api/v1/whoami", createdSecret).status()).as("a key created in the outage works")
                    .isEqualTo(200);

            started = System.nanoTime();
            Api.Response rotate = api.post("/api/v1/keys/" + createdId + "/rotate", admin, Map.of());
            double rotateSeconds = seconds(started);
            assertThat(rotate.status()).as(rotate.raw().body()).isEqualTo(200);
            String rotatedSecret = rotate.json().get("secret").asText();
            assertThat(rotatedSecret).startsWith("ks_dev_");
            assertThat(rotate.json().get("name").asText()).isEqualTo("Created in the outage");
            assertThat(api.get("/api/v1/whoami", rotatedSecret).status()).isEqualTo(200);

            started = System.nanoTime();
            Api.Response revoke = api.delete("/api/v1/keys/" + createdId, admin);
            double revokeSeconds = seconds(started);
            assertThat(revoke.status()).as(revoke.raw().body()).isEqualTo(200);
            Api.Response refused = api.get("/api/v1/whoami", rotatedSecret);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json().get("code").asText()).isEqualTo("key_revoked");
            assertThat(api.patch("/api/v1/keys/" + createdId, admin, Map.of("name", "Too late")).code())
                    .as("the aggregate refuses a change to a revoked key, MongoDB or not").isEqualTo("key_inactive");
            assertThat(api.patch("/api/v1/keys/" + ApiKeyId.generate().value(), admin, Map.of("name", "Nobody")).status())
                    .as("an unknown key is still unknown").isEqualTo(404);
            System.out.printf("Figure: MongoDB cut: 20 of 20 verifications 200; rename 200 in %.2f s, create 201 in "
                    + "%.2f s, rotate 200 in %.2f s, revoke 200 in %.2f s; the created key verified at once, the "
                    + "revoked one refused at once%n", renameSeconds, createSeconds, rotateSeconds, revokeSeconds);

            PROXY.restore();
            IntegrationAwait.until("the key table catches up with the outage's commands", Duration.ofSeconds(60),
                    () -> {
                        Api.Response row = api.get("/api/v1/keys/" + createdId, admin);
                        return row.status() == 200 && row.json().get("status").asText().equals("revoked");
                    });
            assertThat(keys.find(tenant, target.key().id()).orElseThrow().name()).isEqualTo("Renamed in the outage");
            Api.Response after = api.patch("/api/v1/keys/" + targetId, admin, Map.of("name", "Renamed after the outage"));
            assertThat(after.status()).as(after.raw().body()).isEqualTo(200);
            IntegrationAwait.until("the webhooks of the renames in and after the outage are delivered",
                    Duration.ofSeconds(60), () -> receiver.requests("/hook").stream()
                            .anyMatch(request -> request.body().contains("Renamed in the outage"))
                            && receiver.requests("/hook").stream()
                            .anyMatch(request -> request.body().contains("Renamed after the outage")));
            assertThat(keys.find(tenant, target.key().id()).orElseThrow().name()).isEqualTo("Renamed after the outage");
            assertThat(api.get("/api/v1/whoami", target.secret()).status()).isEqualTo(200);
        }
    }
}
