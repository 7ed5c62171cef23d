package dev.keysmith;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.keysmith.audit.AuditFilter;
import dev.keysmith.audit.AuditTrail;
import dev.keysmith.audit.ExportFormat;
import dev.keysmith.audit.ExportVerifier;
import dev.keysmith.audit.ChainCheck;
import dev.keysmith.audit.Replays;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Projections;
import dev.keysmith.keys.TenantId;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay: events published straight into the event store (one tenant, proper metadata, keys with renames and usage
 * batches), then the key table, the tenant directory and the audit trail rebuilt from the store; each rebuilt
 * projection must equal the live one document for document, and the rebuilt chain must verify. The default suite
 * replays {@value #DEFAULT_EVENTS} events; {@code -Dkeysmith.replay.events=100000} (the {@code replay-100k} profile)
 * replays 100,000 and records the rate in {@code target/replay-rate.txt} (see docs/performance.md).
 */
@KeysmithIntegrationTest
class ReplayIntegrationTests {

    static final int DEFAULT_EVENTS = 5_000;
    static final List<String> REPLAYED = List.of("key-table", "tenant-directory", "audit-trail");

    @Autowired
    Accounts accounts;
    @Autowired
    EventStore eventStore;
    @Autowired
    Projections projections;
    @Autowired
    Replays replays;
    @Autowired
    AuditTrail trail;
    @Autowired
    MongoDatabase database;

    @Test
    void rebuiltProjectionsEqualTheLiveOnes() throws IOException {
        int events = Integer.getInteger("keysmith.replay.events", DEFAULT_EVENTS);
        TenantId tenant = accounts.signUp("Replay", TestData.email("replay"), TestData.PASSWORD, Plan.ENTERPRISE)
                .tenantId();
        long generated = System.nanoTime();
        UsageHistory.generate(tenant, events, eventStore::publish);
        double publishSeconds = (System.nanoTime() - generated) / 1e9;
        IntegrationAwait.until("the projections catch up with the generated events", Duration.ofMinutes(15),
                () -> projections.awaitCurrent(Duration.ofSeconds(5)));
        double liveSeconds = (System.nanoTime() - generated) / 1e9;

        Map<String, List<String>> live = snapshot(tenant);
        assertThat(live.get("api_keys")).hasSize(events / UsageHistory.EVENTS_PER_KEY);
        assertThat(live.get("audit_trail")).hasSize(events + 1);

        long started = System.nanoTime();
        for (String processor : REPLAYED) {
            Replays.Status status = replays.start(processor);
            assertThat(status.startedAt()).isNotNull();
        }
        Map<String, Replays.Status> done = new HashMap<>();
        IntegrationAwait.until("the replays catch up", Duration.ofMinutes(15), () -> {
            for (Replays.Status status : replays.status()) {
                assertThat(status.error()).as(status.name()).isNull();
                if (REPLAYED.contains(status.name()) && status.caughtUp()) {
                    done.putIfAbsent(status.name(), status);
                }
            }
            return done.size() == REPLAYED.size();
        });
        double replaySeconds = (System.nanoTime() - started) / 1e9;
        projections.awaitCurrent();

        Map<String, List<String>> rebuilt = snapshot(tenant);
        for (String collection : live.keySet()) {
            assertThat(rebuilt.get(collection)).as(collection).containsExactlyElementsOf(live.get(collection));
        }
        ChainCheck check = trail.verify(tenant);
        assertThat(check.intact()).as(check.detail()).isTrue();
        assertThat(check.records()).isEqualTo(events + 1);

        // the rebuilt trail exports (streamed in batches) and verifies offline against the chain head
        Path export = Path.of("target", "replay-export-" + tenant.value() + ".ndjson");
        long exportStarted = System.nanoTime();
        try (var out = Files.newOutputStream(export)) {
            trail.export(tenant, AuditFilter.ALL, ExportFormat.NDJSON, out);
        }
        double exportSeconds = (System.nanoTime() - exportStarted) / 1e9;
        try (var in = Files.newBufferedReader(export)) {
            ExportVerifier.Result offline = ExportVerifier.verify(in, false, check.head());
            assertThat(offline.verified()).as(offline.message()).isTrue();
            assertThat(offline.records()).isEqualTo(events + 1);
        }
        long exportBytes = Files.size(export);
        Files.delete(export);

        long storeEvents = done.get("audit-trail").replayedEvents();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "generated %d events of one tenant (store total %d) in %.1f s; live projections caught up after %.1f s;%n"
                        + "replay of %s (in parallel) took %.1f s: %.0f events/s per processor over the whole store%n",
                events, storeEvents, publishSeconds, liveSeconds, String.join(", ", REPLAYED), replaySeconds,
                storeEvents / replaySeconds));
        done.values().forEach(status -> report.append(String.format(Locale.ROOT, "  %s: %d events at %.0f events/s%n",
                status.name(), status.replayedEvents(), status.eventsPerSecond())));
        report.append(String.format(Locale.ROOT, "export of the tenant's %d records: %.1f MB NDJSON in %.1f s%n",
                events + 1, exportBytes / 1e6, exportSeconds));
        System.out.println("REPLAY " + report);
        Files.writeString(Path.of("target", "replay-rate.txt"), report.toString());
    }

    private Map<String, List<String>> snapshot(TenantId tenant) {
        Map<String, List<String>> snapshot = new LinkedHashMap<>();
        Bson mine = Filters.eq("tenantId", tenant.value());
        snapshot.put("api_keys", documents("api_keys", mine));
        snapshot.put("tenants", documents("tenants", Filters.eq("_id", tenant.value())));
        snapshot.put("members", documents("members", mine));
        snapshot.put("audit_trail", documents("audit_trail", mine));
        snapshot.put("audit_subjects", documents("audit_subjects", mine));
        snapshot.put("audit_heads", documents("audit_heads", Filters.eq("_id", tenant.value())));
        return snapshot;
    }

    private List<String> documents(String collection, Bson filter) {
        return database.getCollection(collection).find(filter).sort(Sorts.ascending("_id")).batchSize(1_000)
                .map(Document::toJson)
                .into(new ArrayList<>());
    }
}
