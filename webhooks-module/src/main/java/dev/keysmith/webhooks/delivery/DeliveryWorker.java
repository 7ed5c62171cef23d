package dev.keysmith.webhooks.delivery;

import dev.keysmith.keys.Actor;
import dev.keysmith.webhooks.DeliveryView;
import dev.keysmith.webhooks.DisableReason;
import dev.keysmith.webhooks.Signatures;
import dev.keysmith.webhooks.WebhookCommands.DisableWebhookEndpoint;
import dev.keysmith.webhooks.WebhooksProperties;
import dev.keysmith.webhooks.endpoint.EndpointTable;
import dev.keysmith.webhooks.endpoint.SecretStore;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends due deliveries: each worker thread claims one with a lease, signs it (Standard Webhooks, every secret of
 * the endpoint's overlap window, plus the seed's X-Webhook-Sign), sends it, records the attempt with the exact
 * headers, and schedules the next attempt or ends the delivery. 2xx succeeds; 410 fails the delivery and disables
 * the endpoint; anything else retries per {@link RetryPolicy}. A housekeeping pass disables endpoints failing for
 * {@code disable-after} without a success and purges deliveries past retention. Logs never contain a secret.
 */
@Component
class DeliveryWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final DeliveryQueue queue;
    private final EndpointTable endpoints;
    private final SecretStore secrets;
    private final EndpointHealth health;
    private final WebhookSender sender;
    private final CommandGateway commands;
    private final WebhooksProperties properties;
    private final RetryPolicy retries;
    private final Clock clock;
    private final String node;
    private volatile boolean running;
    private ExecutorService threads;

    DeliveryWorker(DeliveryQueue queue, EndpointTable endpoints, SecretStore secrets, EndpointHealth health,
                   WebhookSender sender, CommandGateway commands, WebhooksProperties properties, Clock webhooksClock) {
        this.queue = queue;
        this.endpoints = endpoints;
        this.secrets = secrets;
        this.health = health;
        this.sender = sender;
        this.commands = commands;
        this.properties = properties;
        this.retries = new RetryPolicy(properties.retrySchedule(), properties.jitter(),
                properties.throttledMinimumDelay(), () -> ThreadLocalRandom.current().nextDouble());
        this.clock = webhooksClock;
        this.node = ManagementFactory.getRuntimeMXBean().getName() + "/" + Long.toString(System.nanoTime() % 100000, 36);
    }

    @Override
    public void start() {
        running = true;
        threads = Executors.newFixedThreadPool(properties.workers() + 1, runnable -> {
            Thread thread = new Thread(runnable, "webhook-worker-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < properties.workers(); i++) {
            threads.submit(this::sendLoop);
        }
        threads.submit(this::housekeepingLoop);
    }

    @Override
    public void stop() {
        running = false;
        if (threads != null) {
            threads.shutdownNow();
            try {
                threads.awaitTermination(properties.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Start after the event processors (and stop before them). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private void sendLoop() {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                if (!sendOne()) {
                    queue.awaitWork(properties.pollInterval());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Webhook worker: {}", e.toString());
                try {
                    Thread.sleep(properties.pollInterval().toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void housekeepingLoop() {
        long every = Math.max(1000, properties.pollInterval().toMillis() * 10);
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                housekeeping();
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Webhook housekeeping: {}", e.toString());
            }
        }
    }

    /** Claims and sends one due delivery; false when none was due. */
    boolean sendOne() {
        Optional<DeliveryQueue.Claim> claimed = queue.claim(node, clock.instant(), properties.lease(),
                properties.pollInterval());
        if (claimed.isEmpty()) {
            return false;
        }
        DeliveryQueue.Claim claim = claimed.get();
        Optional<EndpointTable.Row> found = endpoints.find(claim.endpointId());
        if (found.isEmpty()) {
            queue.close(claim, DeliveryView.Status.CANCELLED, "The endpoint was deleted.");
            return true;
        }
        EndpointTable.Row endpoint = found.get();
        if (!endpoint.enabled()) {
            queue.close(claim, DeliveryView.Status.FAILED,
                    "The endpoint is disabled: enable it, then redeliver the failed messages.");
            return true;
        }
        Instant now = clock.instant();
        List<String> signingSecrets = new ArrayList<>();
        secrets.secret(endpoint.id(), endpoint.secretVersion()).ifPresent(signingSecrets::add);
        if (endpoint.previousSecretVersion() > 0 && endpoint.previousValidUntil() != null
                && now.isBefore(endpoint.previousValidUntil())) {
            secrets.secret(endpoint.id(), endpoint.previousSecretVersion()).ifPresent(signingSecrets::add);
        }
        if (signingSecrets.isEmpty()) {
            queue.close(claim, DeliveryView.Status.FAILED, "The endpoint has no signing secret.");
            return true;
        }
        long timestamp = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("webhook-id", claim.messageId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", Signatures.sign(signingSecrets, claim.messageId(), timestamp, claim.body()));
        headers.put("X-Webhook-Sign", Signatures.seedSignature(signingSecrets.get(0), claim.body()));
        WebhookSender.Outcome outcome = sender.send(endpoint.url(), headers, claim.body());
        Instant done = clock.instant();
        DeliveryView.Attempt attempt = new DeliveryView.Attempt(claim.totalAttempts() + 1, now, outcome.statusCode(),
                outcome.latencyMillis(), outcome.responseExcerpt(), outcome.error(), headers, claim.manual());
        if (outcome.succeeded()) {
            queue.record(claim, attempt, DeliveryView.Status.SUCCEEDED, null, true);
            health.succeeded(endpoint.id(), now);
            return true;
        }
        health.failed(endpoint.id(), now);
        if (outcome.statusCode() != null && outcome.statusCode() == 410) {
            DeliveryView.Attempt gone = new DeliveryView.Attempt(attempt.number(), attempt.at(), attempt.statusCode(),
                    attempt.latencyMillis(), attempt.responseExcerpt(), "410 Gone: the endpoint was disabled",
                    headers, attempt.manual());
            if (queue.record(claim, gone, DeliveryView.Status.FAILED, null, true)) {
                disable(endpoint, DisableReason.GONE, "The endpoint answered 410 Gone at " + now + ".");
            }
            return true;
        }
        boolean throttled = outcome.timedOut() || outcome.statusCode() != null && outcome.statusCode() == 429;
        Duration delay = retries.nextDelay(claim.attemptCount() + 1, throttled, outcome.retryAfter(), done);
        if (delay == null) {
            queue.record(claim, attempt, DeliveryView.Status.FAILED, null, true);
        } else {
            queue.record(claim, attempt, DeliveryView.Status.PENDING, done.plus(delay), true);
        }
        return true;
    }

    void housekeeping() {
        Instant now = clock.instant();
        for (var id : health.failingSince(now.minus(properties.disableAfter()))) {
            endpoints.find(id).filter(EndpointTable.Row::enabled).ifPresent(endpoint -> disable(endpoint,
                    DisableReason.FAILING, "No successful delivery since " + health.of(id).failingSince() + "."));
        }
        long purged = queue.purgeOlderThan(now.minus(properties.retention()));
        if (purged > 0) {
            log.info("Purged {} webhook deliveries older than {}", purged, properties.retention());
        }
    }

    private void disable(EndpointTable.Row endpoint, DisableReason reason, String detail) {
        try {
            Actor.runAs(Actor.system("webhooks"), () -> {
                commands.sendAndWait(new DisableWebhookEndpoint(endpoint.id(), endpoint.tenantId(), reason, detail));
            });
            log.info("Webhook endpoint {} disabled: {}", endpoint.id(), reason.json());
        } catch (RuntimeException e) {
            log.warn("Could not disable webhook endpoint {}: {}", endpoint.id(), e.toString());
        }
    }
}
