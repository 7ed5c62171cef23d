package dev.keysmith.keys.usage;

import com.mongodb.bulk.BulkWriteError;
import dev.keysmith.keys.RequestLogEntry;
import dev.keysmith.keys.TenantId;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The batching writer: nothing lost or duplicated, records kept while the store fails, overflow counted exactly. */
class RequestLogWriterTests {

    final TenantId tenant = TenantId.generate();
    final TenantId other = TenantId.generate();
    final ConcurrentLinkedQueue<Document> stored = new ConcurrentLinkedQueue<>();
    final AtomicBoolean down = new AtomicBoolean();
    final AtomicInteger failedAttempts = new AtomicInteger();
    final AtomicInteger batches = new AtomicInteger();
    RequestLogWriter writer;

    RequestLogWriter writer(int buffer, int batch) {
        writer = new RequestLogWriter(new RequestLogProperties(buffer, batch, 0L, null, Duration.ofMillis(100)),
                documents -> {
                    if (down.get()) {
                        failedAttempts.incrementAndGet();
                        throw new IllegalStateException("store down");
                    }
                    assertThat(documents.size()).isLessThanOrEqualTo(batch);
                    batches.incrementAndGet();
                    List<BulkWriteError> refused = new ArrayList<>();
                    for (int i = 0; i < documents.size(); i++) {
                        if (documents.get(i).getString("path").contains("poison")) {
                            refused.add(new BulkWriteError(2, "BadValue", new BsonDocument(), i));
                        } else {
                            stored.add(documents.get(i));
                        }
                    }
                    return refused;
                }, entry -> entry.time().plus(Duration.ofDays(30)));
        return writer;
    }

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close();
        }
    }

    RequestLogEntry entry(TenantId owner, int i) {
        return RequestLogEntry.of(Instant.now(), owner, null, null, "GET", "/api/v1/whoami?i=" + i, 200, null, 1234,
                "203.0.113.7", "Test/1.0");
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void everyRecordFromManyThreadsIsStoredOnceInBatches() throws Exception {
        writer(100_000, 500);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch done = new CountDownLatch(8);
        for (int t = 0; t < 8; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 5_000; i++) {
                    assertThat(writer.offer(entry(tenant, i))).isTrue();
                }
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        await(() -> writer.written() == 40_000, "40,000 written");
        Set<String> ids = new HashSet<>();
        stored.forEach(document -> ids.add(document.getString("_id")));
        assertThat(ids).hasSize(40_000).allMatch(id -> id.matches("req_[0-9a-f]{24}"));
        assertThat(stored).allSatisfy(document -> {
            assertThat(document.getString("tenantId")).isEqualTo(tenant.value());
            assertThat(document.getString("path")).startsWith("/api/v1/whoami");
            assertThat(document.get("expiresAt")).isNotNull();
        });
        assertThat(batches.get()).isLessThan(40_000);
        assertThat(writer.buffered()).isZero();
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void whileTheStoreIsDownRecordsStayBufferedUpToTheBoundAndTheRestIsCountedPerTenant() throws Exception {
        writer(100, 10);
        down.set(true);
        for (int i = 0; i < 70; i++) {
            writer.offer(entry(tenant, i));
        }
        await(() -> failedAttempts.get() >= 2, "the writer retrying");
        for (int i = 0; i < 60; i++) {
            writer.offer(entry(other, i));
        }
        assertThat(writer.buffered()).isEqualTo(100);
        assertThat(writer.dropped()).isEqualTo(30);
        assertThat(writer.dropped(other)).isEqualTo(30);
        assertThat(writer.dropped(tenant)).isZero();
        assertThat(writer.lastError()).contains("store down");
        assertThat(stored).isEmpty();

        down.set(false);
        await(() -> writer.written() == 100, "the buffered 100 written");
        assertThat(stored).hasSize(100);
        assertThat(stored.stream().filter(d -> d.getString("tenantId").equals(tenant.value()))).hasSize(70);
        assertThat(writer.buffered()).isZero();
        assertThat(writer.lastError()).isNull();
        assertThat(writer.dropped()).isEqualTo(30);
    }

    @Test
    void aRecordTheStoreRefusesForGoodIsCountedAsDroppedAndDoesNotHoldUpTheOthers() throws Exception {
        writer(100, 10);
        for (int i = 0; i < 25; i++) {
            writer.offer(i == 7 ? RequestLogEntry.of(Instant.now(), other, null, null, "GET", "/poison", 200, null, 1,
                    "203.0.113.7", "Test/1.0") : entry(tenant, i));
        }
        await(() -> writer.written() == 24, "the 24 others written");
        assertThat(stored).hasSize(24);
        assertThat(writer.dropped()).isEqualTo(1);
        assertThat(writer.dropped(other)).isEqualTo(1);
        assertThat(writer.buffered()).isZero();
        assertThat(writer.lastError()).isNull();

        writer.offer(entry(tenant, 99));
        await(() -> writer.written() == 25, "a later record written");
    }

    @Test
    void idsFollowTheTimeAndNeverRepeat() {
        writer(10, 10);
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        List<String> ids = List.of(writer.nextId(t), writer.nextId(t), writer.nextId(t.plusMillis(1)));
        assertThat(ids).doesNotHaveDuplicates().isSorted();
    }
}
