package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety of the delivery queue: the application runs as a child JVM on H2 file stores, is killed (SIGKILL)
 * while deliveries are in flight to a slow receiver, and is started again on the same data directory. Every
 * message must arrive at least once, and every duplicate must carry the same {@code webhook-id}.
 */
class WebhooksKillIntegrationTests {

    static final int MESSAGES = 30;
    static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void killedWithDeliveriesInFlightEveryMessageArrivesAtLeastOnceWithAStableId() throws Exception {
        Path dataDir = Path.of("target", "it-data", "kill-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(dataDir);
        Path keyFile = dataDir.resolve("bootstrap.env");
        int port = freePort();
        String email = TestData.email("kill");
        try (Receiver receiver = new Receiver()) {
            // one worker and a slow receiver: at most two messages a second, so many are still queued or in flight when the
            // 30 changes have been acknowledged and the kill comes; well inside the attempt timeout (a timed-out attempt
            // is retried no sooner than 60 s later)
            receiver.always("/kill", new Receiver.Response(200, null, Duration.ofMillis(500)));
            Process first = start(dataDir, port, email, keyFile, "first");
            Api api = new Api(port);
            String key;
            try {
                awaitUp(api, first);
                Receiver.await("the bootstrap key file", WAIT, () -> Files.exists(keyFile));
                Properties bootstrap = new Properties();
                try (var reader = Files.newBufferedReader(keyFile)) {
                    bootstrap.load(reader);
                }
                key = bootstrap.getProperty("key");
                Api.Response endpoint = api.post("/api/v1/webhooks", key, Map.of("name", "Crash receiver",
                        "url", receiver.url("/kill"), "events", List.of("key.updated")));
                assertThat(endpoint.status()).as(endpoint.raw().body()).isEqualTo(201);
                String keyId = api.get("/api/v1/keys", key).json().get(0).get("id").asText();
                for (int i = 1; i <= MESSAGES; i++) {
                    assertThat(api.patch("/api/v1/keys/" + keyId, key, Map.of("name", "Name " + i)).status()).isEqualTo(200);
                }
                Receiver.await("deliveries in flight", WAIT, () -> receiver.requests("/kill").size() >= 3);
            } finally {
                first.destroyForcibly().waitFor();
            }
            int beforeRestart = receiver.requests("/kill").size();
            assertThat(beforeRestart).as("the kill came before everything was delivered").isLessThan(MESSAGES);

            Process second = start(dataDir, port, email, keyFile, "second");
            try {
                awaitUp(api, second);
                Receiver.await("every message after the restart", WAIT, () -> names(receiver).size() == MESSAGES);
            } finally {
                second.destroy();
                second.waitFor();
            }
            Map<String, Set<String>> idsByName = new HashMap<>();
            for (Receiver.Request request : receiver.requests("/kill")) {
                JsonNode payload = Api.JSON.readTree(request.body());
                assertThat(payload.get("id").asText()).isEqualTo(request.header("webhook-id"));
                idsByName.computeIfAbsent(payload.get("data").get("changes").get("name").get("to").asText(),
                        name -> new HashSet<>()).add(request.header("webhook-id"));
            }
            assertThat(idsByName).hasSize(MESSAGES);
            idsByName.forEach((name, ids) -> assertThat(ids).as(name).hasSize(1));
        }
    }

    static Set<String> names(Receiver receiver) {
        Set<String> names = new HashSet<>();
        for (Receiver.Request request : receiver.requests("/kill")) {
            try {
                names.add(Api.JSON.readTree(request.body()).get("data").get("changes").get("name").get("to").asText());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return names;
    }

    static Process start(Path dataDir, int port, String email, Path keyFile, String name) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-Daxoniq.update-checker.disabled=true",
                "-cp", System.getProperty("java.class.path"), "dev.keysmith.KeysmithApplication",
                "--server.port=" + port,
                "--keysmith.data-dir=" + dataDir,
                "--keysmith.bootstrap.tenant=Crash Corp",
                "--keysmith.bootstrap.owner-email=" + email,
                "--keysmith.bootstrap.owner-password=" + TestData.PASSWORD,
                "--keysmith.bootstrap.key-file=" + keyFile,
                "--keysmith.webhooks.allow-insecure-targets=true",
                "--keysmith.webhooks.timeout=5s",
                "--keysmith.webhooks.lease=8s",
                "--keysmith.webhooks.workers=1",
                "--keysmith.webhooks.poll-interval=100ms",
                "--keysmith.webhooks.retry-schedule=0s,500ms,500ms,500ms,500ms,500ms"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve(name + ".log").toFile());
        builder.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        return builder.start();
    }

    static void awaitUp(Api api, Process process) {
        Receiver.await("the application to start", WAIT, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the application exited with " + process.exitValue());
            }
            try {
                return api.get("/actuator/health", null).status() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
