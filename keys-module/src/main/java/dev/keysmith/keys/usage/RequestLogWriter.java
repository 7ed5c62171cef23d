package dev.keysmith.keys.usage;

import com.mongodb.bulk.BulkWriteError;
import dev.keysmith.keys.RequestLogEntry;
import dev.keysmith.keys.TenantId;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The asynchronous, batching writer of the request log. {@link #offer} is a few atomic operations: it reserves a
 * place in the bounded buffer (or counts the record as dropped, per tenant too) and queues the record. One daemon
 * thread takes up to a batch at a time and stores it; while the store fails, it keeps that batch and retries with
 * a doubling pause (up to {@code maxBackoff}), so records stay buffered, up to the bound, until the store
 * answers again. A record leaves the bound only once it is written, or once the store has refused that record for
 * good (a write error on the document itself, which a retry would only repeat): it is then counted as dropped, so
 * one bad record cannot hold up the log.
 */
class RequestLogWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RequestLogWriter.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);

    private final LinkedBlockingQueue<RequestLogEntry> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Map<TenantId, LongAdder> droppedByTenant = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final String node = String.format("%04x", new SecureRandom().nextInt(0x10000));
    private final int capacity;
    private final int batchSize;
    private final Duration maxBackoff;
    private final Function<List<Document>, List<BulkWriteError>> store;
    private final Function<RequestLogEntry, Instant> expiry;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile String lastError;

    RequestLogWriter(RequestLogProperties properties, Function<List<Document>, List<BulkWriteError>> store,
                     Function<RequestLogEntry, Instant> expiry) {
        this.capacity = properties.bufferSize();
        this.batchSize = properties.batchSize();
        this.maxBackoff = properties.maxBackoff();
        this.store = store;
        this.expiry = expiry;
        this.thread = new Thread(this::run, "request-log-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues the entry (giving it its id); false when the buffer is full and the entry was counted as dropped. */
    boolean offer(RequestLogEntry entry) {
        if (buffered.incrementAndGet() > capacity) {
            buffered.decrementAndGet();
            drop(entry.tenantId());
            return false;
        }
        queue.add(entry.withId(nextId(entry.time())));
        return true;
    }

    private void drop(TenantId tenantId) {
        dropped.incrementAndGet();
        droppedByTenant.computeIfAbsent(tenantId, id -> new LongAdder()).increment();
    }

    /**
     * {@code req_} and 24 hex digits: the entry's millisecond, this node's random tag, a per-node sequence. Unique,
     * and (time, id) gives a total order that later ids of one node extend.
     */
    String nextId(Instant time) {
        return String.format("req_%012x%s%08x", time.toEpochMilli() & 0xffffffffffffL, node,
                sequence.incrementAndGet() & 0xffffffffL);
    }

    private void run() {
        List<RequestLogEntry> batch = new ArrayList<>(batchSize);
        Duration backoff = FIRST_BACKOFF;
        while (!stopping || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    RequestLogEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, batchSize - 1);
                }
                List<BulkWriteError> refused = store.apply(
                        batch.stream().map(entry -> RequestLogStore.document(entry, expiry.apply(entry))).toList());
                for (BulkWriteError error : refused) {
                    drop(batch.get(error.getIndex()).tenantId());
                }
                if (!refused.isEmpty()) {
                    log.warn("The store refused {} of {} request-log records (write error {}); counted as dropped",
                            refused.size(), batch.size(), refused.get(0).getCode());
                }
                written.addAndGet(batch.size() - refused.size());
                buffered.addAndGet(-batch.size());
                batch.clear();
                backoff = FIRST_BACKOFF;
                if (lastError != null) {
                    log.info("The request log is stored again");
                    lastError = null;
                }
            } catch (InterruptedException e) {
                if (!stopping) {
                    Thread.currentThread().interrupt();
                }
                return;
            } catch (RuntimeException e) {
                if (lastError == null) {
                    log.warn("Could not store {} request-log records; keeping them buffered and retrying: {}",
                            batch.size(), e.toString());
                }
                lastError = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
                if (stopping) {
                    return;
                }
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    int buffered() {
        return buffered.get();
    }

    int capacity() {
        return capacity;
    }

    long dropped() {
        return dropped.get();
    }

    long dropped(TenantId tenantId) {
        LongAdder count = droppedByTenant.get(tenantId);
        return count == null ? 0 : count.sum();
    }

    long written() {
        return written.get();
    }

    String lastError() {
        return lastError;
    }

    /** Writes what is buffered (for a few seconds at most, in case the store is down), then stops the thread. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        if (buffered.get() > 0) {
            log.warn("Stopped with {} request-log records not written (the store did not answer)", buffered.get());
        }
    }
}
