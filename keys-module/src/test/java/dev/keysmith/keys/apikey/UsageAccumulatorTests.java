package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyCommands.RecordApiKeyUsage;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.IpAllowlist;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.VerifiedKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory usage windows: nothing counted twice or lost, also while flushes run and when a send fails. */
class UsageAccumulatorTests {

    final TenantId tenant = TenantId.generate();
    final VerifiedKey a = key();
    final VerifiedKey b = key();
    final ConcurrentLinkedQueue<RecordApiKeyUsage> sent = new ConcurrentLinkedQueue<>();

    VerifiedKey key() {
        return new VerifiedKey(ApiKeyId.generate(), tenant, "Key", Environment.PRODUCTION, null, null,
                IpAllowlist.ANYWHERE, null, null, null, false);
    }

    long total(ApiKeyId keyId) {
        return sent.stream().filter(command -> command.keyId().equals(keyId))
                .flatMap(command -> command.counts().values().stream()).mapToLong(Long::longValue).sum();
    }

    @Test
    void oneCommandPerUsedKeyWithCountsByOutcomeTimesAndIps() {
        UsageAccumulator usage = new UsageAccumulator(command -> {
            sent.add(command);
            return CompletableFuture.completedFuture(null);
        });
        Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
        usage.record(a, 200, "203.0.113.7", t0.plusSeconds(3));
        usage.record(a, 404, "198.51.100.1", t0.plusSeconds(1));
        usage.record(a, 503, "198.51.100.1", t0.plusSeconds(5));
        usage.record(a, 401, "198.51.100.1", t0.plusSeconds(4));
        usage.flush();
        assertThat(sent).singleElement().satisfies(command -> {
            assertThat(command.keyId()).isEqualTo(a.keyId());
            assertThat(command.tenantId()).isEqualTo(tenant);
            assertThat(command.counts()).isEqualTo(Map.of("2xx", 1L, "4xx", 2L, "5xx", 1L));
            assertThat(command.firstAt()).isEqualTo(t0.plusSeconds(1));
            assertThat(command.lastAt()).isEqualTo(t0.plusSeconds(5));
            assertThat(command.ips()).containsExactlyInAnyOrder("203.0.113.7", "198.51.100.1");
        });
        usage.flush();
        assertThat(sent).as("an idle key sends nothing").hasSize(1);
    }

    @Test
    void concurrentRecordsDuringFlushesAreCountedExactlyOnce() throws Exception {
        UsageAccumulator usage = new UsageAccumulator(command -> {
            sent.add(command);
            return CompletableFuture.completedFuture(null);
        });
        int threads = 8;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch done = new CountDownLatch(threads);
        AtomicBoolean running = new AtomicBoolean(true);
        for (int t = 0; t < threads; t++) {
            VerifiedKey key = t % 2 == 0 ? a : b;
            pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    usage.record(key, 200, "10.0.0." + (i % 30), Instant.now());
                }
                done.countDown();
            });
        }
        Thread flusher = new Thread(() -> {
            while (running.get()) {
                usage.flush();
            }
        });
        flusher.start();
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        running.set(false);
        flusher.join();
        usage.flush();
        pool.shutdown();
        assertThat(total(a.keyId())).isEqualTo(4L * perThread);
        assertThat(total(b.keyId())).isEqualTo(4L * perThread);
        assertThat(sent).allSatisfy(command -> assertThat(command.ips()).hasSizeLessThanOrEqualTo(20));
    }

    @Test
    void aFailedSendPutsItsCountsBackForTheNextFlush() {
        AtomicBoolean storeDown = new AtomicBoolean(true);
        UsageAccumulator usage = new UsageAccumulator(command -> {
            if (storeDown.get()) {
                return CompletableFuture.failedFuture(new IllegalStateException("event store down"));
            }
            sent.add(command);
            return CompletableFuture.completedFuture(null);
        });
        for (int i = 0; i < 10; i++) {
            usage.record(a, 200, "203.0.113.7", Instant.now());
        }
        usage.flush();
        assertThat(sent).isEmpty();
        usage.record(a, 500, "203.0.113.7", Instant.now());
        storeDown.set(false);
        usage.flush();
        assertThat(sent).singleElement().satisfies(command ->
                assertThat(command.counts()).isEqualTo(Map.of("2xx", 10L, "5xx", 1L)));
        assertThat(List.copyOf(sent).get(0).ips()).containsExactly("203.0.113.7");
    }
}
