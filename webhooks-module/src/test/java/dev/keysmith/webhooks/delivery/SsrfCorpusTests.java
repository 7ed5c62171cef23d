package dev.keysmith.webhooks.delivery;

import com.sun.net.httpserver.HttpServer;
import dev.keysmith.keys.KeysmithException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SSRF corpus: with the guard on (https only, public addresses only), none of these URLs may be accepted for
 * an endpoint, and a delivery sent to any of them through the real sender must never open a connection to the
 * loopback canary. The canary is a real socket on 127.0.0.1 that counts every connection.
 */
class SsrfCorpusTests {

    static ServerSocket canary;
    static final AtomicInteger hits = new AtomicInteger();
    static int port;

    /** Names that a hostile DNS would answer with loopback (a fixed table in front of the system resolver). */
    static final TargetGuard.Dns HOSTILE_DNS = host -> switch (host.toLowerCase()) {
        case "rebind.test" -> new InetAddress[]{InetAddress.getByName("127.0.0.1")};
        case "multi.test" -> new InetAddress[]{InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1")};
        case "metadata.test" -> new InetAddress[]{InetAddress.getByName("169.254.169.254")};
        case "v6loop.test" -> new InetAddress[]{InetAddress.getByName("::1")};
        default -> InetAddress.getAllByName(host);
    };

    @BeforeAll
    static void startCanary() throws IOException {
        canary = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        port = canary.getLocalPort();
        Thread thread = new Thread(() -> {
            while (!canary.isClosed()) {
                try (Socket socket = canary.accept()) {
                    hits.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "ssrf-canary");
        thread.setDaemon(true);
        thread.start();
    }

    @AfterAll
    static void stopCanary() throws IOException {
        canary.close();
    }

    static List<String> corpus() {
        String p = ":" + port;
        return List.of(
                "http://127.0.0.1" + p + "/hook",
                "https://127.0.0.1" + p + "/hook",
                "https://localhost" + p + "/",
                "https://LOCALHOST" + p + "/",
                "https://localhost." + p + "/",
                "https://127.1" + p + "/",
                "https://127.0.1" + p + "/",
                "https://2130706433" + p + "/",
                "https://0x7f000001" + p + "/",
                "https://0x7f.0x0.0x0.0x1" + p + "/",
                "https://0177.0.0.1" + p + "/",
                "https://017700000001" + p + "/",
                "https://127.000.000.001" + p + "/",
                "https://0" + p + "/",
                "https://0.0.0.0" + p + "/",
                "https://[::1]" + p + "/",
                "https://[0:0:0:0:0:0:0:1]" + p + "/",
                "https://[::ffff:127.0.0.1]" + p + "/",
                "https://[::ffff:7f00:1]" + p + "/",
                "https://[::127.0.0.1]" + p + "/",
                "https://[64:ff9b::127.0.0.1]" + p + "/",
                "https://[2002:7f00:1::1]" + p + "/",
                "https://[::]" + p + "/",
                "https://[fe80::1]" + p + "/",
                "https://[fc00::1]" + p + "/",
                "https://[fd12:3456:789a::1]" + p + "/",
                "https://[ff02::1]" + p + "/",
                "https://169.254.169.254/latest/meta-data/",
                "https://[::ffff:169.254.169.254]/latest/meta-data/",
                "https://10.0.0.1" + p + "/",
                "https://172.16.0.1" + p + "/",
                "https://192.168.1.1" + p + "/",
                "https://100.64.0.1" + p + "/",
                "https://224.0.0.1" + p + "/",
                "https://255.255.255.255" + p + "/",
                "https://198.18.0.1" + p + "/",
                "https://user:pass@127.0.0.1" + p + "/",
                "https://example.com@127.0.0.1" + p + "/",
                "https://user:pass@example.com" + p + "/",
                "https://rebind.test" + p + "/",
                "https://multi.test" + p + "/",
                "https://metadata.test/",
                "https://v6loop.test" + p + "/",
                "https://127.0.0.1.nip.io" + p + "/",
                "ftp://127.0.0.1" + p + "/",
                "file:///etc/passwd",
                "gopher://127.0.0.1" + p + "/_GET",
                "https://127.0.0.1" + p + "/#fragment",
                "javascript:alert(1)",
                "//127.0.0.1" + p + "/",
                "https:///127.0.0.1" + p + "/");
    }

    @Test
    void noUrlOfTheCorpusIsAcceptedNorReachesTheCanary() throws Exception {
        TargetGuard guard = new TargetGuard(false, HOSTILE_DNS);
        List<String> urls = corpus();
        assertThat(urls).hasSizeGreaterThanOrEqualTo(40);
        List<String> accepted = new ArrayList<>();
        List<String> reached = new ArrayList<>();
        int total = hits.get();
        try (WebhookSender sender = new WebhookSender(guard, Duration.ofSeconds(2))) {
            for (String url : urls) {
                try {
                    guard.validate(url);
                    accepted.add(url);
                } catch (KeysmithException.InvalidInput refused) {
                    assertThat(refused.field()).isEqualTo("url");
                }
                int before = hits.get();
                WebhookSender.Outcome outcome = sender.send(url, Map.of("webhook-id", "msg_x"), "{}");
                if (hits.get() != before) {
                    reached.add(url);
                }
                assertThat(outcome.statusCode()).as(url).isNull();
                assertThat(outcome.error()).as(url).isNotBlank();
            }
        }
        assertThat(accepted).isEmpty();
        assertThat(reached).as("URLs whose delivery reached the loopback canary").isEmpty();
        // a sentinel connection of our own: once the canary has accepted it, it has accepted everything before it
        try (Socket sentinel = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (hits.get() == total && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        assertThat(hits.get() - total).as("connections to the canary, the sentinel included").isEqualTo(1);
    }

    @Test
    void theCanaryCountsWhenLoopbackIsAllowed() throws Exception {
        int before = hits.get();
        try (WebhookSender sender = new WebhookSender(new TargetGuard(true), Duration.ofSeconds(2))) {
            sender.send("http://127.0.0.1:" + port + "/", Map.of(), "{}");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (hits.get() == before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(hits.get()).isGreaterThan(before);
    }

    @Test
    void redirectsAreNotFollowedEvenToAllowedLoopback() throws Exception {
        int before = hits.get();
        HttpServer redirector = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        redirector.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port + "/stolen");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        redirector.start();
        try (WebhookSender sender = new WebhookSender(new TargetGuard(true), Duration.ofSeconds(2))) {
            WebhookSender.Outcome outcome = sender.send("http://127.0.0.1:" + redirector.getAddress().getPort() + "/",
                    Map.of(), "{}");
            assertThat(outcome.statusCode()).isEqualTo(302);
            assertThat(outcome.succeeded()).isFalse();
            assertThat(outcome.error()).contains("not followed");
        } finally {
            redirector.stop(0);
        }
        assertThat(hits.get()).isEqualTo(before);
    }

    @Test
    void publicAddressesPassTheAddressCheck() throws UnknownHostException {
        for (String address : List.of("93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "172.32.0.1",
                "100.128.0.1", "169.255.0.1")) {
            assertThat(TargetGuard.refusal(InetAddress.getByName(address), false)).as(address).isNull();
        }
        assertThat(new TargetGuard(false, HOSTILE_DNS).validate("https://93.184.216.34/hooks"))
                .isEqualTo("https://93.184.216.34/hooks");
        assertThatThrownBy(() -> new TargetGuard(true, HOSTILE_DNS).validate("https://169.254.169.254/"))
                .isInstanceOf(KeysmithException.InvalidInput.class);
    }
}
