package dev.keysmith.keys.usage;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.EmbeddedMongo;
import dev.keysmith.keys.RequestLogs;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyUsed;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The key chart's data: ApiKeyUsed folded into hours, read as 24 hourly or 30 daily buckets; idempotent. */
class KeyUsageProjectionTests {

    static EmbeddedMongo mongo;
    final TenantId tenant = TenantId.generate();
    final ApiKeyId key = ApiKeyId.generate();
    final Instant now = Instant.parse("2026-11-23T10:30:00Z");
    KeyUsageProjection projection;

    @BeforeAll
    static void start() {
        mongo = new EmbeddedMongo();
    }

    @AfterAll
    static void stop() {
        mongo.close();
    }

    @BeforeEach
    void setUp() {
        projection = new KeyUsageProjection(mongo.freshDatabase());
    }

    EventMessage<ApiKeyUsed> used(Instant at, Map<String, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return GenericEventMessage.asEventMessage(new ApiKeyUsed(key, tenant, counts, total, total, at, at,
                "203.0.113.7", List.of("203.0.113.7")));
    }

    void handle(EventMessage<ApiKeyUsed> message) {
        projection.on(message.getPayload(), message);
    }

    @Test
    void usageIsCountedPerHourAndDayByOutcomeAndRedeliveryChangesNothing() {
        EventMessage<ApiKeyUsed> a = used(now.minusSeconds(60), Map.of("2xx", 5L, "3xx", 1L, "4xx", 2L));
        EventMessage<ApiKeyUsed> b = used(now.minusSeconds(10), Map.of("5xx", 3L));
        EventMessage<ApiKeyUsed> c = used(now.minusSeconds(3 * 3600), Map.of("2xx", 7L));
        EventMessage<ApiKeyUsed> d = used(now.minusSeconds(5 * 86400), Map.of("4xx", 4L));
        for (EventMessage<ApiKeyUsed> message : List.of(a, b, c, d, a, b, c, d)) {
            handle(message);
        }

        List<RequestLogs.Bucket> hours = projection.series(tenant, key, RequestLogs.Resolution.HOURS_24, now);
        assertThat(hours).hasSize(24);
        assertThat(hours.get(23)).isEqualTo(new RequestLogs.Bucket(Instant.parse("2026-11-23T10:00:00Z"), 6, 2, 3));
        assertThat(hours.get(20)).isEqualTo(new RequestLogs.Bucket(Instant.parse("2026-11-23T07:00:00Z"), 7, 0, 0));
        assertThat(hours.stream().mapToLong(RequestLogs.Bucket::total).sum()).isEqualTo(18);

        List<RequestLogs.Bucket> days = projection.series(tenant, key, RequestLogs.Resolution.DAYS_30, now);
        assertThat(days).hasSize(30);
        assertThat(days.get(29)).isEqualTo(new RequestLogs.Bucket(Instant.parse("2026-11-23T00:00:00Z"), 13, 2, 3));
        assertThat(days.get(24)).isEqualTo(new RequestLogs.Bucket(Instant.parse("2026-11-18T00:00:00Z"), 0, 4, 0));
        assertThat(days.stream().mapToLong(RequestLogs.Bucket::total).sum()).isEqualTo(22);

        assertThat(projection.series(TenantId.generate(), key, RequestLogs.Resolution.DAYS_30, now))
                .allMatch(bucket -> bucket.total() == 0);
    }

    @Test
    void resetEmptiesIt() {
        handle(used(now, Map.of("2xx", 1L)));
        projection.reset();
        assertThat(projection.series(tenant, key, RequestLogs.Resolution.HOURS_24, now))
                .allMatch(bucket -> bucket.total() == 0);
    }
}
