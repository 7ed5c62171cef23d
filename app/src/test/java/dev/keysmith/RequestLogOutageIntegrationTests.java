package dev.keysmith;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.RequestLogQuery;
import dev.keysmith.keys.RequestLogs;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verification keeps serving while MongoDB is down: the application's MongoDB is a standalone mongo-java-server on
 * a TCP port, stopped mid-test and started again on the same port. Every API request answers 200 throughout; the
 * request-log records made meanwhile wait in the (small) buffer and are written when MongoDB is back, and exactly
 * the ones that did not fit are counted as dropped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "keysmith.data-dir=target/it-data/${random.uuid}",
        "keysmith.keys.management-per-minute=100000",
        "keysmith.keys.usage-flush=500ms",
        "keysmith.request-log.buffer-size=50",
        "keysmith.request-log.batch-size=20",
        "keysmith.request-log.max-backoff=200ms"})
@DirtiesContext
class RequestLogOutageIntegrationTests {

    static MongoServer mongo = start(0);
    static final int MONGO_PORT = mongo.getLocalAddress().getPort();

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;
    @Autowired
    RequestLogs logs;

    static MongoServer start(int port) {
        MemoryBackend backend = new MemoryBackend();
        backend.version(ServerVersion.MONGO_5_0);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        return server;
    }

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("keysmith.mongodb-uri", () -> "mongodb://127.0.0.1:" + MONGO_PORT);
        registry.add("keysmith.secrets-key", () -> "z9PuhCTySm4IVgj1rYAnsu1kT/JSSP4WZWDo0LZqD9s="); // an external MongoDB needs the secrets key
    }

    @AfterAll
    static void stop() {
        mongo.shutdownNow();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    long logged(TenantId tenant) {
        return logs.histogram(tenant, RequestLogQuery.all()).values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void requestsAreServedWhileMongoIsDownAndTheBufferedRecordsAreWrittenWhenItReturns() throws Exception {
        TenantId tenant = accounts.signUp("Outage", TestData.email("outage"), TestData.PASSWORD, Plan.PRO).tenantId();
        ApiKeys.IssuedKey key = keys.create(tenant, new ApiKeys.NewKey("Worker", "production", null, List.of(), null));
        Api api = new Api(port);
        for (int i = 0; i < 5; i++) {
            assertThat(api.get("/api/v1/whoami", key.secret()).status()).isEqualTo(200);
        }
        await(() -> logged(tenant) == 5, "the first 5 records");
        RequestLogs.Status before = logs.status();
        assertThat(before.dropped()).isZero();
        assertThat(before.buffered()).isZero();

        mongo.shutdownNow();
        for (int i = 0; i < 80; i++) {
            assertThat(api.get("/api/v1/whoami", key.secret()).status()).as("request " + i).isEqualTo(200);
        }
        await(() -> logs.status().buffered() + logs.status().dropped() == 80, "80 records kept or dropped");
        assertThat(logs.status().buffered()).isEqualTo(50);
        assertThat(logs.status().dropped()).isEqualTo(30);
        assertThat(logs.dropped(tenant)).isEqualTo(30);
        assertThat(logs.status().written()).isEqualTo(before.written());
        await(() -> !logs.status().storeAvailable(), "the writer noticing the outage");

        mongo = start(MONGO_PORT); // an empty MongoDB on the same port
        await(() -> logs.status().buffered() == 0, "the buffer written");
        assertThat(logs.status().written()).isEqualTo(before.written() + 50);
        assertThat(logged(tenant)).isEqualTo(50);
        assertThat(logs.status().storeAvailable()).isTrue();
        assertThat(logs.status().dropped()).isEqualTo(30);
        assertThat(api.get("/api/v1/whoami", key.secret()).status()).isEqualTo(200);
    }
}
