package dev.keysmith.keys;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The request log (the Logs tab and {@code GET /api/v1/logs}): every API request, served or refused, of each
 * tenant. {@link #record} never blocks and never touches the database: records wait in a bounded buffer for one
 * writer thread that stores them in batches; what does not fit is counted ({@link #status()}), never silently
 * lost. Reads are scoped to a tenant; newest first, in pages that stay correct while new requests arrive.
 */
public interface RequestLogs {

    /** Queues an entry for its tenant's log; the request that made it never waits. */
    void record(RequestLogEntry entry);

    /** Counts a request that identified no tenant (it goes to no tenant's log). */
    void unattributed();

    /** A page of a tenant's log, newest first; {@code next} is the cursor of the following page, or null. */
    Page search(TenantId tenantId, RequestLogQuery query);

    Optional<RequestLogEntry> find(TenantId tenantId, String id);

    /** How many requests of each status match the query (its cursor and limit ignored), by status code. */
    Map<Integer, Long> histogram(TenantId tenantId, RequestLogQuery query);

    /** A key's requests over time, by outcome (2xx, 4xx, 5xx; 3xx counts as 2xx), from its usage events. */
    List<Bucket> series(TenantId tenantId, ApiKeyId keyId, Resolution resolution, Instant now);

    /** The writer's state, for the operator (health, metrics) and the Logs tab's banner. */
    Status status();

    /** Records a tenant lost because the buffer was full (since this node started). */
    long dropped(TenantId tenantId);

    record Page(List<RequestLogEntry> items, RequestLogQuery.Cursor next) {
    }

    /** The key chart's two views: the last 24 hours by hour, the last 30 days by day (UTC). */
    enum Resolution {
        HOURS_24(24, java.time.Duration.ofHours(1)),
        DAYS_30(30, java.time.Duration.ofDays(1));

        private final int buckets;
        private final java.time.Duration width;

        Resolution(int buckets, java.time.Duration width) {
            this.buckets = buckets;
            this.width = width;
        }

        public int buckets() {
            return buckets;
        }

        public java.time.Duration width() {
            return width;
        }
    }

    record Bucket(Instant start, long ok, long clientErrors, long serverErrors) {
        public long total() {
            return ok + clientErrors + serverErrors;
        }
    }

    /**
     * @param buffered     records waiting to be written (at most {@code capacity})
     * @param dropped      records lost since start because the buffer was full
     * @param unattributed requests that identified no tenant (kept in no tenant's log)
     * @param written      records stored since start
     * @param lastError    why the last write failed, while the store is failing; null when it is healthy
     */
    record Status(int buffered, int capacity, long dropped, long unattributed, long written, String lastError) {
        public boolean storeAvailable() {
            return lastError == null;
        }
    }
}
