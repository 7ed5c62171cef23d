package dev.keysmith.keys.usage;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.RequestLogEntry;
import dev.keysmith.keys.RequestLogQuery;
import dev.keysmith.keys.RequestLogs;
import dev.keysmith.keys.TenantId;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@code request_log} collection: one document per request, {@code _id} the time-ordered id. Pages are sorted
 * by (time desc, _id desc) and continue strictly after the cursor's (time, id), so rows that arrive meanwhile
 * never shift a page or repeat a row. {@code expiresAt} (time + the plan's retention) carries a TTL index for a
 * real MongoDB and is purged by {@link #purge} (the embedded server ignores TTL).
 */
class RequestLogStore {

    static final String COLLECTION = "request_log";
    private static final int DUPLICATE_KEY = 11000;

    private final MongoCollection<Document> log;

    RequestLogStore(MongoDatabase database) {
        this.log = database.getCollection(COLLECTION);
        log.createIndex(Indexes.compoundIndex(Indexes.ascending("tenantId"), Indexes.descending("time", "_id")));
        log.createIndex(Indexes.ascending("expiresAt"), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
    }

    /**
     * Stores a batch and answers the documents MongoDB refused for good (a write error on the document itself).
     * Idempotent: a retry after a partly applied batch finds the stored ones as duplicate ids, which count as
     * written. A failure of the connection or of the write concern throws, and the caller retries the batch.
     */
    List<BulkWriteError> insert(List<Document> batch) {
        try {
            log.insertMany(batch, new InsertManyOptions().ordered(false));
            return List.of();
        } catch (MongoBulkWriteException e) {
            if (e.getWriteConcernError() != null) {
                throw e;
            }
            return e.getWriteErrors().stream().filter(error -> error.getCode() != DUPLICATE_KEY).toList();
        }
    }

    static Document document(RequestLogEntry entry, Instant expiresAt) {
        return new Document("_id", entry.id())
                .append("tenantId", entry.tenantId().value())
                .append("time", Date.from(entry.time()))
                .append("keyId", entry.keyId() == null ? null : entry.keyId().value())
                .append("keyPrefix", entry.keyPrefix())
                .append("brand", entry.brand())
                .append("environment", entry.environment() == null ? null : entry.environment().name())
                .append("method", entry.method())
                .append("path", entry.path())
                .append("status", entry.status())
                .append("code", entry.errorCode())
                .append("latencyMicros", entry.latencyMicros())
                .append("clientIp", entry.clientIp())
                .append("userAgent", entry.userAgent())
                .append("expiresAt", Date.from(expiresAt));
    }

    RequestLogs.Page search(TenantId tenantId, RequestLogQuery query) {
        List<Bson> conditions = conditions(tenantId, query);
        RequestLogQuery.Cursor cursor = query.cursor();
        if (cursor != null) {
            Date time = Date.from(cursor.time());
            conditions.add(Filters.or(Filters.lt("time", time),
                    Filters.and(Filters.eq("time", time), Filters.lt("_id", cursor.id()))));
        }
        List<RequestLogEntry> rows = log.find(Filters.and(conditions))
                .sort(Sorts.orderBy(Sorts.descending("time"), Sorts.descending("_id")))
                .limit(query.limit() + 1)
                .map(RequestLogStore::entry).into(new ArrayList<>());
        RequestLogQuery.Cursor next = null;
        if (rows.size() > query.limit()) {
            rows = rows.subList(0, query.limit());
            RequestLogEntry last = rows.get(rows.size() - 1);
            next = new RequestLogQuery.Cursor(last.time(), last.id());
        }
        return new RequestLogs.Page(List.copyOf(rows), next);
    }

    Optional<RequestLogEntry> find(TenantId tenantId, String id) {
        return Optional.ofNullable(log.find(Filters.and(Filters.eq("_id", id), Filters.eq("tenantId", tenantId.value())))
                .first()).map(RequestLogStore::entry);
    }

    Map<Integer, Long> histogram(TenantId tenantId, RequestLogQuery query) {
        Map<Integer, Long> counts = new TreeMap<>();
        log.aggregate(List.of(Aggregates.match(Filters.and(conditions(tenantId, query))),
                        Aggregates.group("$status", Accumulators.sum("n", 1))))
                .forEach(group -> counts.put(((Number) group.get("_id")).intValue(),
                        ((Number) group.get("n")).longValue()));
        return counts;
    }

    long count(TenantId tenantId) {
        return log.countDocuments(Filters.eq("tenantId", tenantId.value()));
    }

    /** Deletes what passed its retention, then the oldest records beyond {@code maxRecords} (0 = no cap). */
    long purge(Instant now, long maxRecords) {
        long deleted = log.deleteMany(Filters.lt("expiresAt", Date.from(now))).getDeletedCount();
        if (maxRecords > 0 && log.countDocuments() > maxRecords) {
            Document boundary = log.find().sort(Sorts.orderBy(Sorts.descending("time"), Sorts.descending("_id")))
                    .skip((int) Math.min(Integer.MAX_VALUE, maxRecords)).limit(1).first();
            if (boundary != null) {
                Date time = boundary.getDate("time");
                deleted += log.deleteMany(Filters.or(Filters.lt("time", time),
                        Filters.and(Filters.eq("time", time), Filters.lte("_id", boundary.getString("_id")))))
                        .getDeletedCount();
            }
        }
        return deleted;
    }

    private static List<Bson> conditions(TenantId tenantId, RequestLogQuery query) {
        List<Bson> conditions = new ArrayList<>();
        conditions.add(Filters.eq("tenantId", tenantId.value()));
        if (query.from() != null) {
            conditions.add(Filters.gte("time", Date.from(query.from())));
        }
        if (query.to() != null) {
            conditions.add(Filters.lt("time", Date.from(query.to())));
        }
        if (query.statusFrom() != null && query.statusFrom().equals(query.statusTo())) {
            conditions.add(Filters.eq("status", query.statusFrom()));
        } else {
            if (query.statusFrom() != null) {
                conditions.add(Filters.gte("status", query.statusFrom()));
            }
            if (query.statusTo() != null) {
                conditions.add(Filters.lte("status", query.statusTo()));
            }
        }
        if (query.brand() != null) {
            conditions.add(Filters.eq("brand", query.brand()));
        }
        if (query.environment() != null) {
            conditions.add(Filters.eq("environment", query.environment().name()));
        }
        if (query.keyId() != null) {
            conditions.add(Filters.eq("keyId", query.keyId().value()));
        }
        if (query.errorCode() != null) {
            conditions.add(Filters.eq("code", query.errorCode()));
        }
        return conditions;
    }

    static RequestLogEntry entry(Document d) {
        String keyId = d.getString("keyId");
        String environment = d.getString("environment");
        Number latency = d.get("latencyMicros", Number.class);
        return new RequestLogEntry(d.getString("_id"), d.getDate("time").toInstant(),
                new TenantId(d.getString("tenantId")), keyId == null ? null : new ApiKeyId(keyId),
                d.getString("keyPrefix"), d.getString("brand"),
                environment == null ? null : Environment.valueOf(environment), d.getString("method"),
                d.getString("path"), d.getInteger("status", 0), d.getString("code"),
                latency == null ? 0 : latency.longValue(), d.getString("clientIp"), d.getString("userAgent"));
    }

    /** For tests: every document's id of a tenant, in page order. */
    List<String> ids(TenantId tenantId) {
        Map<String, Boolean> ids = new LinkedHashMap<>();
        log.find(Filters.eq("tenantId", tenantId.value()))
                .sort(Sorts.orderBy(Sorts.descending("time"), Sorts.descending("_id")))
                .forEach(d -> ids.put(d.getString("_id"), true));
        return List.copyOf(ids.keySet());
    }
}
