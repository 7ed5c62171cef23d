package dev.keysmith;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.keysmith.keys.Verification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A starting node loads its verification index from the stored copy and follows the events after the copy's
 * position, rather than replaying the whole history; without a position it replays. Proven by editing the copy
 * while the node is down: the edit shows after the restart only when the copy was loaded.
 */
class KeyIndexRestartIntegrationTests {

    @TempDir
    Path dataDir;

    @Test
    void aRestartLoadsTheIndexFromItsStoredCopyAndReplaysWithoutOne() throws Exception {
        Path keyFile = dataDir.resolve("bootstrap.env");
        String key;
        try (ConfigurableApplicationContext first = start(keyFile)) {
            key = Files.readAllLines(keyFile).get(1).substring("key=".length());
            assertThat(verify(first, key).key().name()).isEqualTo("Bootstrap key");
            MongoDatabase mongo = first.getBean(MongoDatabase.class);
            await(() -> mongo.getCollection("key_index_position").countDocuments() == 1
                    && mongo.getCollection("key_index").countDocuments() == 1);
            mongo.getCollection("key_index").updateOne(Filters.exists("_id"), Updates.set("name", "Edited copy"));
        }

        try (ConfigurableApplicationContext second = start(keyFile)) {
            Verification.Result result = verify(second, key);
            assertThat(result.ok()).isTrue();
            assertThat(result.key().name()).as("loaded from the copy, not replayed").isEqualTo("Edited copy");
            second.getBean(MongoDatabase.class).getCollection("key_index_position").deleteMany(Filters.exists("_id"));
        }

        try (ConfigurableApplicationContext third = start(keyFile)) {
            assertThat(verify(third, key).key().name()).as("no position: replayed from the events").isEqualTo("Bootstrap key");
        }
    }

    private ConfigurableApplicationContext start(Path keyFile) {
        return new SpringApplicationBuilder(KeysmithApplication.class).run(
                "--server.port=0",
                "--keysmith.data-dir=" + dataDir,
                "--keysmith.bootstrap.tenant=Restart Corp",
                "--keysmith.bootstrap.owner-email=" + TestData.email("restart"),
                "--keysmith.bootstrap.owner-password=" + TestData.PASSWORD,
                "--keysmith.bootstrap.key-file=" + keyFile);
    }

    /** Verifies as a request would, once the index has loaded (until then it answers service_unavailable). */
    private static Verification.Result verify(ConfigurableApplicationContext context, String key) throws Exception {
        Verification verification = context.getBean(Verification.class);
        InetAddress caller = InetAddress.getLoopbackAddress();
        await(() -> verification.verifyKey(key, null, caller, true, Instant.now()).code()
                != Verification.Code.SERVICE_UNAVAILABLE);
        return verification.verifyKey(key, null, caller, true, Instant.now());
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
