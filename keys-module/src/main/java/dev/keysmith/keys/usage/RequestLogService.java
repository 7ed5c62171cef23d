package dev.keysmith.keys.usage;

import com.mongodb.client.MongoDatabase;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.KeyIndex;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.PlanLimits;
import dev.keysmith.keys.RequestLogEntry;
import dev.keysmith.keys.RequestLogQuery;
import dev.keysmith.keys.RequestLogs;
import dev.keysmith.keys.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request log: the batching writer in front of the {@code request_log} collection, the purge job (retention
 * per plan, and the record cap), and the key usage chart. The retention of a record is fixed when it is written,
 * from its tenant's plan at that moment (in memory, from the verification index).
 */
@Component
class RequestLogService implements RequestLogs, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RequestLogService.class);

    private final RequestLogStore store;
    private final RequestLogWriter writer;
    private final KeyUsageProjection usage;
    private final RequestLogProperties properties;
    private final AtomicLong unattributed = new AtomicLong();

    RequestLogService(MongoDatabase database, KeyIndex index, PlanLimits limits, RequestLogProperties properties,
                      KeyUsageProjection usage) {
        this.store = new RequestLogStore(database);
        this.usage = usage;
        this.properties = properties;
        this.writer = new RequestLogWriter(properties, store::insert, entry -> {
            KeyIndex.TenantEntry tenant = index.tenant(entry.tenantId());
            Plan plan = tenant == null ? Plan.FREE : tenant.plan();
            return entry.time().plus(Duration.ofDays(limits.of(plan).logRetentionDays()));
        });
    }

    @Override
    public void record(RequestLogEntry entry) {
        writer.offer(entry);
    }

    @Override
    public void unattributed() {
        unattributed.incrementAndGet();
    }

    @Override
    public Page search(TenantId tenantId, RequestLogQuery query) {
        return store.search(tenantId, query);
    }

    @Override
    public Optional<RequestLogEntry> find(TenantId tenantId, String id) {
        return id == null ? Optional.empty() : store.find(tenantId, id);
    }

    @Override
    public Map<Integer, Long> histogram(TenantId tenantId, RequestLogQuery query) {
        return store.histogram(tenantId, query);
    }

    @Override
    public List<Bucket> series(TenantId tenantId, ApiKeyId keyId, Resolution resolution, Instant now) {
        return usage.series(tenantId, keyId, resolution, now);
    }

    @Override
    public Status status() {
        return new Status(writer.buffered(), writer.capacity(), writer.dropped(), unattributed.get(), writer.written(),
                writer.lastError());
    }

    @Override
    public long dropped(TenantId tenantId) {
        return writer.dropped(tenantId);
    }

    /** Retention per plan and the record cap; the embedded MongoDB ignores TTL indexes, so this does it. */
    @Scheduled(fixedDelayString = "${keysmith.request-log.purge-interval:1m}",
            initialDelayString = "${keysmith.request-log.purge-interval:1m}")
    void purge() {
        try {
            Instant now = Instant.now();
            long deleted = store.purge(now, properties.maxRecords());
            usage.purge(now);
            if (deleted > 0) {
                log.debug("Purged {} request-log records", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("Could not purge the request log (next try in {}): {}", properties.purgeInterval(), e.toString());
        }
    }

    long purgeNow(Instant now) {
        return store.purge(now, properties.maxRecords());
    }

    RequestLogStore store() {
        return store;
    }

    @Override
    public void destroy() {
        writer.close();
    }
}
