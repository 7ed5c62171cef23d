package dev.keysmith;

import dev.keysmith.keys.Actor;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyRenamed;
import dev.keysmith.keys.events.ApiKeyUsed;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A long history of one workspace, as the key aggregates would have stored it, for the replay test and the
 * benchmarks: keys of {@value #EVENTS_PER_KEY} events each (created, then usage batches with a rename every tenth
 * event), with the usual metadata, handed over in batches of 1,000 messages.
 */
final class UsageHistory {

    static final int EVENTS_PER_KEY = 100;
    static final int BATCH = 1_000;

    private UsageHistory() {
    }

    static void generate(TenantId tenant, int events, Consumer<List<DomainEventMessage<?>>> sink) {
        Map<String, Object> metadata = new LinkedHashMap<>(new Actor("usage", Actor.Type.SYSTEM, null, null,
                "replay-test").asMetadata());
        metadata.put(Actor.TENANT_ID, tenant.value());
        MetaData meta = MetaData.from(metadata);
        List<DomainEventMessage<?>> batch = new ArrayList<>(BATCH);
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        for (int k = 0; k < events / EVENTS_PER_KEY; k++) {
            ApiKeyId key = ApiKeyId.generate();
            for (int seq = 0; seq < EVENTS_PER_KEY; seq++) {
                Object payload;
                if (seq == 0) {
                    payload = new ApiKeyCreated(key, tenant, "Replay " + k, Environment.PRODUCTION, null, List.of(),
                            null, "%064x".formatted(k), "ks_live_" + "%04d".formatted(k % 10_000), "abcd", false);
                } else if (seq % 10 == 0) {
                    payload = new ApiKeyRenamed(key, tenant, "Replay " + k + " v" + (seq / 10 - 1),
                            "Replay " + k + " v" + seq / 10);
                } else {
                    at = at.plusMillis(10);
                    payload = new ApiKeyUsed(key, tenant, Map.of("2xx", 3L), 3, 3L * seq, at, at.plusMillis(5),
                            "203.0.113.7", List.of("203.0.113.7"));
                }
                batch.add(new GenericDomainEventMessage<>("ApiKey", key.value(), seq, payload, meta));
                if (batch.size() == BATCH) {
                    sink.accept(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
        }
        if (!batch.isEmpty()) {
            sink.accept(batch);
        }
    }
}
