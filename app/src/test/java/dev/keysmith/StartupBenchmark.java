package dev.keysmith;

import com.mongodb.client.MongoDatabase;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyUsed;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Start-up time with a long history: a data directory with {@code keys} keys and {@code events} usage events
 * (published straight to the event store in batches, as the aggregates would have stored them), then two starts:
 * the normal one (the verification index loads from its stored copy) and one without the copy's position (the
 * index replays the whole stream). Reports the time from start to the first key verified.
 * Run: {@code ./mvnw -B -Pbench -pl app test-compile exec:exec -Dbench.args="1000000 1000"}.
 */
public final class StartupBenchmark {

    public static void main(String[] arguments) throws Exception {
        String[] args = String.join(" ", arguments).trim().split("\\s+");
        int events = args.length > 0 && !args[0].isEmpty() ? Integer.parseInt(args[0]) : 1_000_000;
        int keyCount = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        Path dir = Files.createTempDirectory("keysmith-startup");
        List<String> secrets = new ArrayList<>();
        long populateStart = System.nanoTime();
        try (ConfigurableApplicationContext app = BenchApp.start(dir)) {
            Accounts accounts = app.getBean(Accounts.class);
            ApiKeys keys = app.getBean(ApiKeys.class);
            List<ApiKeyId> ids = new ArrayList<>();
            List<TenantId> tenants = new ArrayList<>();
            for (int i = 0; secrets.size() < keyCount; i++) {
                TenantId tenant = accounts.signUp("Startup " + i, "startup-" + i + "@example.test", TestData.PASSWORD,
                        Plan.ENTERPRISE).tenantId();
                for (int k = 0; k < 10 && secrets.size() < keyCount; k++) {
                    ApiKeys.IssuedKey issued = keys.create(tenant, new ApiKeys.NewKey("Key " + k, "production", null,
                            List.of(), null));
                    secrets.add(issued.secret());
                    ids.add(issued.key().id());
                    tenants.add(tenant);
                }
            }
            // only the index and its stored copy follow the history here: the other projections would take far longer
            // than the index to fold a million events, and are not what this measures
            app.getBean(org.axonframework.config.EventProcessingConfiguration.class).eventProcessors()
                    .forEach((name, processor) -> {
                        if (!name.equals("key-index") && !name.equals("key-index-store")) {
                            processor.shutDown();
                        }
                    });
            EventStore store = app.getBean(EventStore.class);
            long[] sequence = new long[keyCount];
            java.util.Arrays.fill(sequence, 1);
            List<DomainEventMessage<?>> batch = new ArrayList<>(1000);
            Instant at = Instant.now();
            for (int i = 0; i < events; i++) {
                int k = i % keyCount;
                long total = sequence[k];
                ApiKeyUsed used = new ApiKeyUsed(ids.get(k), tenants.get(k), Map.of("2xx", 1L), 1, total, at, at,
                        "203.0.113.9", List.of("203.0.113.9"));
                batch.add(new GenericDomainEventMessage<>("ApiKey", ids.get(k).value(), sequence[k]++, used,
                        MetaData.with("tenantId", tenants.get(k).value()).and("actorType", "SYSTEM")));
                if (batch.size() == 1000) {
                    store.publish(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                store.publish(batch);
            }
            BenchApp.awaitVerified(app, secrets.get(secrets.size() - 1));
            MongoDatabase mongo = app.getBean(MongoDatabase.class);
            long deadline = System.nanoTime() + 600_000_000_000L;
            long head = app.getBean(EventStore.class).createHeadToken().position().orElseThrow();
            org.axonframework.eventhandling.StreamingEventProcessor copy = app.getBean(
                    org.axonframework.config.EventProcessingConfiguration.class)
                    .eventProcessor("key-index-store", org.axonframework.eventhandling.StreamingEventProcessor.class)
                    .orElseThrow();
            while (System.nanoTime() < deadline && copy.processingStatus().values().stream()
                    .anyMatch(status -> status.getCurrentPosition().orElse(-1) < head)) {
                Thread.sleep(500);
            }
            System.out.printf("populated %d keys and %d usage events in %.1f s; key_index holds %d keys%n", keyCount,
                    events, (System.nanoTime() - populateStart) / 1e9, mongo.getCollection("key_index").countDocuments());
        }
        String probe = secrets.get(0);
        long withCopy = timeToFirstVerification(dir, probe);
        try (ConfigurableApplicationContext app = BenchApp.start(dir)) {
            BenchApp.awaitVerified(app, probe);
            app.getBean(MongoDatabase.class).getCollection("key_index_position").deleteMany(new org.bson.Document());
        }
        long replay = timeToFirstVerification(dir, probe);
        System.out.printf("start to first verified key, %d events stored: %.2f s loading the index's stored copy, "
                + "%.2f s replaying the event stream (the other projections, left behind, catch up meanwhile)%n",
                events, withCopy / 1e9, replay / 1e9);
        System.exit(0); // Axon's processor threads would keep the JVM alive
    }

    private static long timeToFirstVerification(Path dir, String key) throws Exception {
        long started = System.nanoTime();
        try (ConfigurableApplicationContext app = BenchApp.start(dir)) {
            BenchApp.awaitVerified(app, key);
            return System.nanoTime() - started;
        }
    }
}
