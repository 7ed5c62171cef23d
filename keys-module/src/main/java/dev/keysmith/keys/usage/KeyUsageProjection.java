package dev.keysmith.keys.usage;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.RequestLogs;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyUsed;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Each key's usage per hour ({@code key_usage}: one document per key and UTC hour, counts by outcome), folded
 * from {@code ApiKeyUsed} events: the key page's chart. It comes from the event store, not from the request log,
 * so it outlives the log's retention and can be rebuilt. Idempotent: a document lists the events it counted and
 * an event already counted changes nothing.
 */
@Component
@ProcessingGroup(KeyUsageProjection.GROUP)
class KeyUsageProjection {

    static final String GROUP = "key-usage";

    private final MongoCollection<Document> usage;

    KeyUsageProjection(MongoDatabase database) {
        this.usage = database.getCollection("key_usage");
        usage.createIndex(Indexes.ascending("keyId", "hour"));
    }

    @EventHandler
    void on(ApiKeyUsed event, EventMessage<?> message) {
        Instant hour = event.lastAt().truncatedTo(ChronoUnit.HOURS);
        String id = event.keyId().value() + ":" + hour.toEpochMilli();
        long ok = event.counts().getOrDefault("2xx", 0L) + event.counts().getOrDefault("3xx", 0L);
        long clientErrors = event.counts().getOrDefault("4xx", 0L);
        long serverErrors = event.counts().getOrDefault("5xx", 0L);
        try {
            usage.updateOne(Filters.and(Filters.eq("_id", id), Filters.ne("events", message.getIdentifier())),
                    Updates.combine(
                            Updates.set("tenantId", event.tenantId().value()),
                            Updates.set("keyId", event.keyId().value()),
                            Updates.set("hour", Date.from(hour)),
                            Updates.inc("ok", ok),
                            Updates.inc("clientErrors", clientErrors),
                            Updates.inc("serverErrors", serverErrors),
                            Updates.push("events", message.getIdentifier())),
                    new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            // the hour's document exists and already lists this event: the upsert's insert clashed on _id
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    @ResetHandler
    void reset() {
        usage.deleteMany(new Document());
    }

    List<RequestLogs.Bucket> series(TenantId tenantId, ApiKeyId keyId, RequestLogs.Resolution resolution,
                                    Instant now) {
        Duration width = resolution.width();
        Instant end = now.truncatedTo(width.equals(Duration.ofDays(1)) ? ChronoUnit.DAYS : ChronoUnit.HOURS).plus(width);
        Instant start = end.minus(width.multipliedBy(resolution.buckets()));
        long[][] counts = new long[resolution.buckets()][3];
        usage.find(Filters.and(Filters.eq("keyId", keyId.value()), Filters.eq("tenantId", tenantId.value()),
                        Filters.gte("hour", Date.from(start)), Filters.lt("hour", Date.from(end))))
                .projection(Projections.exclude("events"))
                .forEach(d -> {
                    int index = (int) ((d.getDate("hour").getTime() - start.toEpochMilli()) / width.toMillis());
                    if (index >= 0 && index < counts.length) {
                        counts[index][0] += number(d, "ok");
                        counts[index][1] += number(d, "clientErrors");
                        counts[index][2] += number(d, "serverErrors");
                    }
                });
        List<RequestLogs.Bucket> buckets = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            buckets.add(new RequestLogs.Bucket(start.plus(width.multipliedBy(i)), counts[i][0], counts[i][1],
                    counts[i][2]));
        }
        return buckets;
    }

    /** Hours older than the longest chart (and a day of margin) are no longer shown: drop them. */
    long purge(Instant now) {
        return usage.deleteMany(Filters.lt("hour", Date.from(now.minus(Duration.ofDays(32))))).getDeletedCount();
    }

    private static long number(Document d, String field) {
        Number value = d.get(field, Number.class);
        return value == null ? 0 : value.longValue();
    }
}
