package dev.keysmith.keys.apikey;

import dev.keysmith.keys.Actor;
import dev.keysmith.keys.ApiKeyCommands.RecordApiKeyUsage;
import dev.keysmith.keys.ApiKeyCommands.RecordApiKeyUsageSpike;
import dev.keysmith.keys.ApiKeyCommands.SettleApiKeyUsage;
import dev.keysmith.keys.KeysProperties;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.UsageRecorder;
import dev.keysmith.keys.VerifiedKey;
import dev.keysmith.keys.events.ApiKeyUsed;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Per-key usage windows in memory. Recording is a map lookup and a few atomic operations (no lock, no I/O). Each flush
 * drains every window with {@code sumThenReset} (no count is lost to a concurrent record) and sends one
 * {@code RecordApiKeyUsage} per key that was used; a send that fails puts its counts back for the next flush.
 * Each flush also feeds the interval's counts to the {@link SpikeDetector}, and sends a spike or settle command
 * for each key that started or ended a spike episode.
 */
@Component
class UsageAccumulator implements UsageRecorder, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UsageAccumulator.class);
    static final String[] OUTCOMES = {"2xx", "3xx", "4xx", "5xx"};
    private static final int IDLE_FLUSHES_BEFORE_EVICTION = 30;

    /** One key's counts since the last flush. */
    static final class Window {
        final TenantId tenantId;
        final LongAdder[] counts = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
        final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
        final AtomicReference<String> lastIp = new AtomicReference<>();
        final Set<String> ips = ConcurrentHashMap.newKeySet();
        /** Recorders inside this window right now, and whether the flusher has retired it (see evict). */
        final AtomicInteger inFlight = new AtomicInteger();
        volatile boolean retired;
        int idleFlushes;

        Window(TenantId tenantId) {
            this.tenantId = tenantId;
        }
    }

    private final Map<ApiKeyId, Window> windows = new ConcurrentHashMap<>();
    private final Function<RecordApiKeyUsage, CompletableFuture<?>> sink;
    private final Function<Object, CompletableFuture<?>> spikeSink;
    private final SpikeDetector detector;
    private final Duration flushInterval;
    private Instant lastFlush;

    @Autowired
    UsageAccumulator(CommandGateway commands, KeysProperties properties) {
        this(command -> Actor.runAs(Actor.system("usage"), () -> commands.send(command)),
                command -> Actor.runAs(Actor.system("usage"), () -> commands.send(command)),
                new SpikeDetector(properties), properties.usageFlush());
    }

    UsageAccumulator(Function<RecordApiKeyUsage, CompletableFuture<?>> sink) {
        this(sink, command -> CompletableFuture.completedFuture(null), null, Duration.ofSeconds(10));
    }

    UsageAccumulator(Function<RecordApiKeyUsage, CompletableFuture<?>> sink,
                     Function<Object, CompletableFuture<?>> spikeSink, SpikeDetector detector, Duration flushInterval) {
        this.sink = sink;
        this.spikeSink = spikeSink;
        this.detector = detector;
        this.flushInterval = flushInterval;
    }

    @Override
    public void record(VerifiedKey key, int status, String clientIp, Instant at) {
        Window window;
        while (true) {
            window = windows.computeIfAbsent(key.keyId(), id -> new Window(key.tenantId()));
            window.inFlight.incrementAndGet();
            if (!window.retired) {
                break;
            }
            window.inFlight.decrementAndGet();
        }
        try {
            count(window, status, clientIp, at);
        } finally {
            window.inFlight.decrementAndGet();
        }
    }

    private static void count(Window window, int status, String clientIp, Instant at) {
        window.counts[outcome(status)].increment();
        long millis = at.toEpochMilli();
        window.first.accumulateAndGet(millis, Math::min);
        window.last.accumulateAndGet(millis, Math::max);
        if (clientIp != null) {
            window.lastIp.set(clientIp);
            if (window.ips.size() < ApiKeyUsed.MAX_IPS) {
                window.ips.add(clientIp);
            }
        }
    }

    @Scheduled(fixedDelayString = "${keysmith.keys.usage-flush:10s}", initialDelayString = "${keysmith.keys.usage-flush:10s}")
    synchronized void flush() {
        flush(Instant.now(), true);
    }

    /** One flush; {@code detect} false records the counts without judging the (partial) interval for spikes. */
    synchronized void flush(Instant now, boolean detect) {
        List<CompletableFuture<?>> sent = new ArrayList<>();
        Map<ApiKeyId, SpikeDetector.Observation> observed = new HashMap<>();
        for (Map.Entry<ApiKeyId, Window> entry : windows.entrySet()) {
            RecordApiKeyUsage command = drain(entry.getKey(), entry.getValue());
            if (command == null) {
                if (++entry.getValue().idleFlushes > IDLE_FLUSHES_BEFORE_EVICTION) {
                    RecordApiKeyUsage late = evict(entry.getKey(), entry.getValue());
                    if (late != null) {
                        observe(observed, late);
                        sent.add(send(late));
                    }
                }
                continue;
            }
            entry.getValue().idleFlushes = 0;
            observe(observed, command);
            sent.add(send(command));
        }
        if (detector != null && detect) {
            Duration interval = lastFlush == null || !now.isAfter(lastFlush) ? flushInterval
                    : Duration.between(lastFlush, now);
            for (SpikeDetector.Transition transition : detector.observe(observed, interval, now)) {
                sent.add(sendSpike(transition));
            }
        }
        lastFlush = now;
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    }

    private static void observe(Map<ApiKeyId, SpikeDetector.Observation> observed, RecordApiKeyUsage command) {
        long count = command.counts().values().stream().mapToLong(Long::longValue).sum();
        observed.merge(command.keyId(), new SpikeDetector.Observation(command.tenantId(), count),
                (a, b) -> new SpikeDetector.Observation(a.tenantId(), a.count() + b.count()));
    }

    private CompletableFuture<?> sendSpike(SpikeDetector.Transition transition) {
        Object command = transition.spiking()
                ? new RecordApiKeyUsageSpike(transition.keyId(), transition.tenantId(), transition.at(),
                        transition.ratePerMinute(), transition.baselinePerMinute(), transition.multiple())
                : new SettleApiKeyUsage(transition.keyId(), transition.tenantId(), transition.at(),
                        transition.ratePerMinute());
        CompletableFuture<?> result;
        try {
            result = spikeSink.apply(command);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn("Could not record that key {} {} a usage spike: {}", transition.keyId(),
                        transition.spiking() ? "started" : "ended", failure.toString());
            }
        });
    }

    /**
     * Drops a long-idle window without losing a count: once it is marked retired, a recorder that arrives backs
     * off to a fresh window, and the recorders already inside are waited for before the last drain.
     */
    private RecordApiKeyUsage evict(ApiKeyId keyId, Window window) {
        window.retired = true;
        windows.remove(keyId, window);
        while (window.inFlight.get() > 0) {
            Thread.onSpinWait();
        }
        return drain(keyId, window);
    }

    private volatile boolean running;

    @Override
    public void start() {
        running = true;
    }

    /**
     * On shutdown the current window is recorded too, so a graceful stop loses nothing: in a lifecycle phase that
     * stops before Axon's (which unsubscribes the command handlers), not at bean destruction, when no handler would
     * take the command any more.
     */
    @Override
    public void stop() {
        running = false;
        flush(Instant.now(), false);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Stops after the web server (phase MAX_VALUE - 2048: no request left to count) and before Axon
     * ({@code SpringAxonConfiguration.LIFECYCLE_PHASE}, MAX_VALUE - 3072).
     */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2560;
    }

    private CompletableFuture<?> send(RecordApiKeyUsage command) {
        CompletableFuture<?> result;
        try {
            result = sink.apply(command);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn("Could not record the usage of key {} ({} requests); retrying at the next flush: {}",
                        command.keyId(), command.counts().values().stream().mapToLong(Long::longValue).sum(),
                        failure.toString());
                putBack(command);
            }
        });
    }

    private static RecordApiKeyUsage drain(ApiKeyId keyId, Window window) {
        Map<String, Long> counts = new LinkedHashMap<>();
        long total = 0;
        for (int i = 0; i < OUTCOMES.length; i++) {
            long count = window.counts[i].sumThenReset();
            if (count > 0) {
                counts.put(OUTCOMES[i], count);
                total += count;
            }
        }
        if (total == 0) {
            return null;
        }
        long first = window.first.getAndSet(Long.MAX_VALUE);
        long last = window.last.getAndSet(Long.MIN_VALUE);
        List<String> ips = new ArrayList<>();
        for (String ip : window.ips) {
            if (window.ips.remove(ip) && ips.size() < ApiKeyUsed.MAX_IPS) {
                ips.add(ip);
            }
        }
        Instant lastAt = Instant.ofEpochMilli(last == Long.MIN_VALUE ? System.currentTimeMillis() : last);
        Instant firstAt = first == Long.MAX_VALUE ? lastAt : Instant.ofEpochMilli(first);
        return new RecordApiKeyUsage(keyId, window.tenantId, counts, firstAt, lastAt, window.lastIp.get(), ips);
    }

    private void putBack(RecordApiKeyUsage command) {
        Window window = windows.computeIfAbsent(command.keyId(), id -> new Window(command.tenantId()));
        command.counts().forEach((outcome, count) -> window.counts[index(outcome)].add(count));
        window.first.accumulateAndGet(command.firstAt().toEpochMilli(), Math::min);
        window.last.accumulateAndGet(command.lastAt().toEpochMilli(), Math::max);
        window.ips.addAll(command.ips());
    }

    private static int outcome(int status) {
        if (status >= 500) {
            return 3;
        }
        if (status >= 400) {
            return 2;
        }
        return status >= 300 ? 1 : 0;
    }

    private static int index(String outcome) {
        for (int i = 0; i < OUTCOMES.length; i++) {
            if (OUTCOMES[i].equals(outcome)) {
                return i;
            }
        }
        return 0;
    }
}
