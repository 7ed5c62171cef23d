package dev.keysmith;

import com.sun.net.httpserver.HttpServer;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeyCommands;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.Webhooks;
import dev.keysmith.webhooks.delivery.TargetGuard;
import dev.keysmith.webhooks.delivery.WebhookSender;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Figure 6 of docs/performance.md, in one run against one local no-op receiver (the JDK's HTTP server answering
 * 204 at once):
 * <ol>
 *   <li>raw POSTs/s: the delivery workers' own HTTP client ({@link WebhookSender}) posting a body of the same size
 *       from as many threads as the node has delivery workers;</li>
 *   <li>signed deliveries/s: {@code events} key renames (sent straight to the command bus, faster than the
 *       deliveries) fanned out to {@code endpoints} endpoints, from the first rename to the last delivery received
 *       (dispatch, queue, lease, sign, send, record the attempt);</li>
 *   <li>event -> first attempt: renames at a light pace (20/s) in a workspace with one endpoint, each timed from
 *       just before the command to the arrival of its message at the receiver: p50, p99, max.</li>
 * </ol>
 * Run: {@code ./mvnw -B -Pbench -pl app test-compile exec:exec -Dbench.main=dev.keysmith.WebhookBenchmark
 * -Dbench.args="500 20"}.
 */
public final class WebhookBenchmark {

    private static final Pattern NAME = Pattern.compile("\"(bench-\\d+)\"");

    public static void main(String[] arguments) throws Exception {
        String[] args = String.join(" ", arguments).trim().split("\\s+");
        int events = args.length > 0 && !args[0].isEmpty() ? Integer.parseInt(args[0]) : 500;
        int endpoints = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int workers = 4;
        Map<String, Long> firstArrival = new ConcurrentHashMap<>();
        AtomicInteger received = new AtomicInteger();
        AtomicLong lastArrival = new AtomicLong();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        receiver.setExecutor(Executors.newFixedThreadPool(8));
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            long now = System.nanoTime();
            Matcher name = NAME.matcher(body);
            while (name.find()) {
                firstArrival.putIfAbsent(name.group(1), now);
            }
            received.incrementAndGet();
            lastArrival.accumulateAndGet(now, Math::max);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();

        Path dir = Files.createTempDirectory("keysmith-webhooks");
        try (ConfigurableApplicationContext app = BenchApp.start(dir, "--keysmith.webhooks.allow-insecure-targets=true",
                "--keysmith.webhooks.workers=" + workers);
             WebhookSender sender = new WebhookSender(new TargetGuard(true), Duration.ofSeconds(5))) {
            TenantId tenant = app.getBean(Accounts.class).signUp("Webhooks", "webhooks@example.test",
                    TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
            ApiKeys keys = app.getBean(ApiKeys.class);
            CommandGateway commands = app.getBean(CommandGateway.class);
            Webhooks webhooks = app.getBean(Webhooks.class);
            for (int e = 0; e < endpoints; e++) {
                webhooks.create(tenant, new Webhooks.EndpointSpec("Bench " + e, base + "/hook/" + e, null,
                        List.of("key.updated")));
            }
            List<ApiKeyId> ids = new ArrayList<>();
            for (int k = 0; k < workers; k++) {
                ids.add(keys.create(tenant, new ApiKeys.NewKey("bench-key-" + k, "production", null, List.of(), null))
                        .key().id());
            }
            Thread.sleep(3_000); // the endpoint table and the dispatcher caught up

            // 1. raw POSTs of a body of the size of a delivery, from the workers' client
            String body = "{\"type\":\"key.updated\",\"data\":{\"changes\":{\"name\":{\"from\":\"x\",\"to\":\"raw\"}}}}"
                    + " ".repeat(450);
            int rawPosts = events * endpoints;
            received.set(0);
            ExecutorService posters = Executors.newFixedThreadPool(workers);
            AtomicInteger next = new AtomicInteger();
            long rawStart = System.nanoTime();
            for (int t = 0; t < workers; t++) {
                posters.submit(() -> {
                    while (next.getAndIncrement() < rawPosts) {
                        if (!sender.send(base + "/raw", Map.of("webhook-id", "msg_raw"), body).succeeded()) {
                            throw new IllegalStateException("a raw POST failed");
                        }
                    }
                    return null;
                });
            }
            posters.shutdown();
            posters.awaitTermination(10, TimeUnit.MINUTES);
            double rawRate = rawPosts / ((System.nanoTime() - rawStart) / 1e9);
            System.out.printf(Locale.ROOT, "raw POSTs: %,d in %.1f s: %,.0f POSTs/s (%d threads)%n", rawPosts,
                    (System.nanoTime() - rawStart) / 1e9, rawRate, workers);

            // 2. signed deliveries: events fanned out to every endpoint
            received.set(0);
            long deliveryStart = System.nanoTime();
            ExecutorService renamers = Executors.newFixedThreadPool(workers);
            for (int k = 0; k < workers; k++) {
                ApiKeyId id = ids.get(k);
                int offset = k;
                renamers.submit(() -> {
                    for (int i = offset; i < events; i += workers) { // straight to the command bus: no read-back
                        commands.sendAndWait(new ApiKeyCommands.RenameApiKey(id, tenant, "bench-" + i));
                    }
                    return null;
                });
            }
            renamers.shutdown();
            renamers.awaitTermination(10, TimeUnit.MINUTES);
            double eventsSeconds = (System.nanoTime() - deliveryStart) / 1e9;
            int expected = events * endpoints;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (received.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            double deliverySeconds = (lastArrival.get() - deliveryStart) / 1e9;
            double deliveryRate = received.get() / deliverySeconds;
            System.out.printf(Locale.ROOT, "signed deliveries: %,d events (%.1f s to issue) x %d endpoints = %,d of %,d "
                            + "delivered in %.1f s: %,.0f deliveries/s = %.2f x the raw POSTs%n", events, eventsSeconds,
                    endpoints, received.get(), expected, deliverySeconds, deliveryRate, deliveryRate / rawRate);

            // 3. event -> first attempt, one rename every 50 ms, in a workspace of its own with one endpoint (20
            // deliveries/s: a pace the node keeps up with, so this is the path's latency, not a queue's length)
            received.set(0);
            while (received.get() > 0 || System.nanoTime() < lastArrival.get() + TimeUnit.SECONDS.toNanos(2)) {
                received.set(0);
                Thread.sleep(1_000); // step 2's last retries and stragglers are gone
            }
            TenantId single = app.getBean(Accounts.class).signUp("Latency", "latency@example.test",
                    TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
            webhooks.create(single, new Webhooks.EndpointSpec("Latency", base + "/latency", null,
                    List.of("key.updated")));
            ApiKeyId timed = keys.create(single, new ApiKeys.NewKey("latency-key", "production", null, List.of(),
                    null)).key().id();
            Thread.sleep(3_000);
            int samples = Math.max(100, events / 2);
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            firstArrival.clear();
            for (int i = 0; i < samples; i++) {
                String name = "bench-" + (1_000_000 + i);
                sentAt.put(name, System.nanoTime());
                keys.update(single, timed, name, null);
                Thread.sleep(50);
            }
            deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!firstArrival.keySet().containsAll(sentAt.keySet()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<Double> latencies = new ArrayList<>();
            sentAt.forEach((name, at) -> {
                Long arrived = firstArrival.get(name);
                if (arrived != null) {
                    latencies.add((arrived - at) / 1e6);
                }
            });
            Collections.sort(latencies);
            System.out.printf(Locale.ROOT, "event -> first attempt (first endpoint to receive it), %d of %d events: "
                            + "p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", latencies.size(), samples,
                    percentile(latencies, 0.50), percentile(latencies, 0.99), latencies.get(latencies.size() - 1));
        } finally {
            receiver.stop(0);
        }
        System.exit(0);
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
