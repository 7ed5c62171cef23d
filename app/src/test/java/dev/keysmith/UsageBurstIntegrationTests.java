package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.RequestLogQuery;
import dev.keysmith.keys.RequestLogs;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A burst of requests: every one in the log and in the usage count; a spike flagged once, then settled. */
@KeysmithIntegrationTest
class UsageBurstIntegrationTests {

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;
    @Autowired
    RequestLogs logs;
    @Autowired
    JdbcTemplate jdbc;

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, () -> what);
    }

    /** Polls until the condition holds; on giving up, says what it saw and how long the slowest poll took. */
    static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long slowest = 0;
        while (true) {
            long polled = System.nanoTime();
            boolean met = condition.getAsBoolean();
            slowest = Math.max(slowest, System.nanoTime() - polled);
            if (met) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up after 60 s waiting for " + what.get() + " (the slowest poll took "
                        + Duration.ofNanos(slowest).toMillis() + " ms)");
            }
            Thread.sleep(20);
        }
    }

    long logged(TenantId tenant, ApiKeys.IssuedKey key) {
        return logs.histogram(tenant, new RequestLogQuery(null, null, null, null, null, null, key.key().id(), null,
                null, 1)).values().stream().mapToLong(Long::longValue).sum();
    }

    int events(ApiKeys.IssuedKey key, String type) {
        return jdbc.queryForObject("select count(*) from domainevententry where aggregateidentifier = ? and "
                + "payloadtype = ?", Integer.class, key.key().id().value(), "dev.keysmith.keys.events." + type);
    }

    @Test
    void tenThousandRequestsInABurstAreAllInTheLogAndInTheUsageCount() throws Exception {
        TenantId tenant = accounts.signUp("Burst", TestData.email("burst"), TestData.PASSWORD, Plan.PRO).tenantId();
        ApiKeys.IssuedKey key = keys.create(tenant, new ApiKeys.NewKey("Burst", "production", null, List.of(), null));
        Api api = new Api(port);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        AtomicInteger served = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger(); // the most records waiting for the writer during the burst
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(logs.status().buffered(), Math::max), 0, 5,
                TimeUnit.MILLISECONDS);
        List<Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < 16; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < 625; i++) {
                    if (api.get("/api/v1/whoami", key.secret()).status() == 200) {
                        served.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        sampler.shutdownNow();
        assertThat(served.get()).isEqualTo(10_000);
        long burstEnded = System.nanoTime();
        RequestLogs.Status afterBurst = logs.status();
        await(() -> logged(tenant, key) == 10_000, () -> "10,000 log records; logged " + logged(tenant, key)
                + ", at most " + peak + " buffered in the burst, status after it " + afterBurst + ", now "
                + logs.status());
        System.out.printf("Burst: 10,000 requests; at most %d records buffered (of %d); status after it %s; all logged "
                + "%d ms later%n", peak.get(), afterBurst.capacity(), afterBurst,
                Duration.ofNanos(System.nanoTime() - burstEnded).toMillis());
        await(() -> keys.find(tenant, key.key().id()).orElseThrow().usageCount() == 10_000, "usage count 10,000");
        assertThat(logs.dropped(tenant)).isZero();
        assertThat(logged(tenant, key)).isEqualTo(10_000);
        assertThat(events(key, "ApiKeyUsageSpiked")).as("a burst from nothing is a spike").isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBurstFlagsTheKeyAsSpikingOnceAndTheFlagClearsWhenTheRateFalls() throws Exception {
        TenantId tenant = accounts.signUp("Spike", TestData.email("spike"), TestData.PASSWORD, Plan.PRO).tenantId();
        ApiKeys.IssuedKey key = keys.create(tenant, new ApiKeys.NewKey("Spiky", "production", null, List.of(), null));
        ApiKeys.IssuedKey observer = keys.create(tenant, new ApiKeys.NewKey("Observer", "production", null, List.of(), null));
        Api api = new Api(port);
        String path = "/api/v1/keys/" + key.key().id().value();
        assertThat(api.get(path, observer.secret()).json().get("usageSpike").asBoolean()).isFalse();

        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService traffic = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(traffic.submit(() -> {
                while (running.get()) {
                    api.get("/api/v1/whoami", key.secret());
                }
            }));
        }
        try {
            await(() -> api.get(path, observer.secret()).json().get("usageSpike").asBoolean(), "the spike flag");
            assertThat(keys.find(tenant, key.key().id()).orElseThrow().spiking()).isTrue();
        } finally {
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get();
            }
            traffic.shutdown();
        }
        await(() -> !api.get(path, observer.secret()).json().get("usageSpike").asBoolean(), "the flag cleared");
        assertThat(events(key, "ApiKeyUsageSpiked")).isEqualTo(1);
        assertThat(events(key, "ApiKeyUsageSettled")).isEqualTo(1);
        String payload = jdbc.queryForObject("select payload from domainevententry where aggregateidentifier = ? and "
                + "payloadtype = 'dev.keysmith.keys.events.ApiKeyUsageSpiked'", (rs, row) ->
                new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8), key.key().id().value());
        assertThat(Api.JSON.readTree(payload).get("ratePerMinute").asDouble()).isGreaterThanOrEqualTo(60);
        assertThat(Api.JSON.readTree(payload).get("multiple").asDouble()).isEqualTo(10.0);
    }
}
