package dev.keysmith.keys.apikey;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.ProjectionWrites;
import dev.keysmith.keys.RevocationReason;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyExpired;
import dev.keysmith.keys.events.ApiKeyHidden;
import dev.keysmith.keys.events.ApiKeyIpAllowlistChanged;
import dev.keysmith.keys.events.ApiKeyRenamed;
import dev.keysmith.keys.events.ApiKeyRevoked;
import dev.keysmith.keys.events.ApiKeyRotated;
import dev.keysmith.keys.events.ApiKeyUsageSettled;
import dev.keysmith.keys.events.ApiKeyUsageSpiked;
import dev.keysmith.keys.events.ApiKeyUsed;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * The key table ({@code api_keys}): one document per key, never a secret (prefix and last four only).
 * Idempotent: every handler sets values. Rebuildable: the reset handler empties the collection. Writes go in one
 * bulk write per batch of events ({@link ProjectionWrites}).
 */
@Component
@ProcessingGroup(ApiKeyTableProjection.GROUP)
class ApiKeyTableProjection {

    static final String GROUP = "key-table";
    private static final String USAGE_MAXIMA = "key-table/usage/";

    private final MongoCollection<Document> keys;

    ApiKeyTableProjection(MongoDatabase database) {
        this.keys = database.getCollection("api_keys");
        keys.createIndex(Indexes.ascending("tenantId", "created"));
    }

    @EventHandler
    void on(ApiKeyCreated event, @Timestamp Instant at) {
        Document key = new Document("_id", event.keyId().value())
                .append("tenantId", event.tenantId().value())
                .append("name", event.name())
                .append("environment", event.environment().name())
                .append("brand", event.brand())
                .append("ips", event.ips())
                .append("prefix", event.prefix())
                .append("last4", event.last4())
                .append("created", Date.from(at))
                .append("expires", date(event.expires()))
                .append("lastUsed", null)
                .append("usageCount", 0L)
                .append("temporary", event.temporary())
                .append("hidden", false);
        ProjectionWrites.add(keys, new ReplaceOneModel<>(Filters.eq("_id", key.get("_id")), key,
                new ReplaceOptions().upsert(true)));
    }

    @EventHandler
    void on(ApiKeyRenamed event) {
        update(event.keyId(), Updates.set("name", event.to()));
    }

    @EventHandler
    void on(ApiKeyIpAllowlistChanged event) {
        update(event.keyId(), Updates.set("ips", event.to()));
    }

    @EventHandler
    void on(ApiKeyRotated event, @Timestamp Instant at) {
        update(event.keyId(), Updates.combine(
                Updates.set("prefix", event.prefix()),
                Updates.set("last4", event.last4()),
                Updates.set("rotatedAt", Date.from(at)),
                Updates.set("previousValidUntil", date(event.previousValidUntil()))));
    }

    @EventHandler
    void on(ApiKeyRevoked event, @Timestamp Instant at) {
        update(event.keyId(), Updates.combine(
                Updates.set("revokedAt", Date.from(at)),
                Updates.set("revocationReason", event.reason().name())));
    }

    @EventHandler
    void on(ApiKeyExpired event) {
        update(event.keyId(), Updates.set("expiredRecorded", true));
    }

    /**
     * Idempotent: the last use and the running total only ever grow ($max), so a redelivery changes nothing. One
     * write per key per batch, carrying the batch's maxima (usage batches of several nodes may arrive out of order).
     */
    @EventHandler
    void on(ApiKeyUsed event) {
        String id = event.keyId().value();
        Map<String, long[]> maxima = CurrentUnitOfWork.isStarted()
                ? CurrentUnitOfWork.get().root().getOrComputeResource(USAGE_MAXIMA, resource -> new HashMap<>())
                : new HashMap<>();
        long[] max = maxima.merge(id, new long[]{event.lastAt().toEpochMilli(), event.totalCount()},
                (a, b) -> new long[]{Math.max(a[0], b[0]), Math.max(a[1], b[1])});
        ProjectionWrites.add(keys, USAGE_MAXIMA + id, new UpdateOneModel<>(Filters.eq("_id", id), Updates.combine(
                Updates.max("lastUsed", new Date(max[0])), Updates.max("usageCount", max[1]))));
    }

    @EventHandler
    void on(ApiKeyUsageSpiked event) {
        update(event.keyId(), Updates.combine(Updates.set("spiking", true),
                Updates.set("spikeDetectedAt", Date.from(event.detectedAt()))));
    }

    @EventHandler
    void on(ApiKeyUsageSettled event) {
        update(event.keyId(), Updates.set("spiking", false));
    }

    @EventHandler
    void on(ApiKeyHidden event) {
        update(event.keyId(), Updates.set("hidden", true));
    }

    @ResetHandler
    void reset() {
        keys.deleteMany(new Document());
    }

    private void update(ApiKeyId keyId, Bson update) {
        ProjectionWrites.add(keys, new UpdateOneModel<>(Filters.eq("_id", keyId.value()), update));
    }

    Optional<ApiKeyView> find(TenantId tenantId, ApiKeyId keyId) {
        return Optional.ofNullable(keys.find(Filters.and(Filters.eq("_id", keyId.value()),
                Filters.eq("tenantId", tenantId.value()))).first()).map(ApiKeyTableProjection::view);
    }

    List<ApiKeyView> list(TenantId tenantId, Environment environment, int offset, int limit, boolean includeHidden) {
        List<Bson> conditions = new ArrayList<>(List.of(Filters.eq("tenantId", tenantId.value())));
        if (environment != null) {
            conditions.add(Filters.eq("environment", environment.name()));
        }
        if (!includeHidden) {
            conditions.add(Filters.ne("hidden", true));
        }
        Bson filter = Filters.and(conditions);
        return keys.find(filter).sort(Sorts.ascending("created", "_id")).skip(offset).limit(limit)
                .map(ApiKeyTableProjection::view).into(new ArrayList<>());
    }

    /** Keys whose expiry has passed and that are neither revoked nor recorded as expired yet (for the sweeper). */
    List<ApiKeyView> dueForExpiry(Instant now, int max) {
        return keys.find(Filters.and(Filters.lte("expires", Date.from(now)), Filters.eq("revokedAt", null),
                        Filters.ne("expiredRecorded", true)))
                .limit(max).map(ApiKeyTableProjection::view).into(new ArrayList<>());
    }

    private static ApiKeyView view(Document d) {
        String reason = d.getString("revocationReason");
        return new ApiKeyView(new ApiKeyId(d.getString("_id")), new TenantId(d.getString("tenantId")),
                d.getString("name"), Environment.valueOf(d.getString("environment")), d.getString("brand"),
                d.getList("ips", String.class, List.of()), d.getString("prefix"), d.getString("last4"),
                instant(d.getDate("created")), instant(d.getDate("expires")), instant(d.getDate("lastUsed")),
                d.get("usageCount", Number.class) == null ? 0 : d.get("usageCount", Number.class).longValue(),
                instant(d.getDate("rotatedAt")), instant(d.getDate("previousValidUntil")),
                instant(d.getDate("revokedAt")), reason == null ? null : RevocationReason.valueOf(reason),
                d.getBoolean("temporary", false), d.getBoolean("hidden", false), d.getBoolean("spiking", false));
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
