package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two Keysmith nodes (child JVMs) sharing one PostgreSQL schema and one MongoDB (mongo-java-server in this JVM on a
 * TCP port, in memory), as they would behind a load balancer: the shared processors' segments are split between
 * them, every webhook message is delivered exactly once, a key revoked on one node is refused by the other (100
 * trials, latency printed), a web session opened on one node works on the other (shared sessions), and when the node that holds the workspace's segments is killed (SIGKILL) the other
 * takes them over after the claim timeout and projects every change made meanwhile. Skipped without PostgreSQL.
 */
class NodesIntegrationTests {

    static final int SEGMENTS = 4;
    static final String CLAIM_TIMEOUT = "5s";
    static final int RENAMES = 40;
    static final int TRIALS = 100;
    static final int AFTER_KILL = 20;
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String TEST = "NodesIntegrationTests";

    @Test
    void twoNodesShareTheWorkAndOneTakesOverWhenTheOtherIsKilled() throws Exception {
        String unavailable = TestPostgres.unavailable();
        assumeTrue(unavailable == null, () -> unavailable + ": skipping");
        Path dir = Path.of("target", "it-data", "nodes-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("bootstrap.env");
        byte[] secretsKey = new byte[32];
        new SecureRandom().nextBytes(secretsKey);
        MongoServer mongo = new MongoServer(new MemoryBackend().version(ServerVersion.MONGO_5_0));
        mongo.bind("127.0.0.1", 0);
        try (TestPostgres postgres = TestPostgres.freshSchema(); Receiver receiver = new Receiver()) {
            Map<String, String> env = Map.of(
                    "KEYSMITH_DB_URL", postgres.url,
                    "KEYSMITH_DB_USER", TestPostgres.USER,
                    "KEYSMITH_DB_PASSWORD", TestPostgres.PASSWORD,
                    "KEYSMITH_MONGODB_URI", "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort(),
                    "KEYSMITH_SECRETS_KEY", Base64.getEncoder().encodeToString(secretsKey),
                    "KEYSMITH_PROCESSOR_SEGMENTS", Integer.toString(SEGMENTS),
                    "KEYSMITH_PROCESSOR_CLAIM_TIMEOUT", CLAIM_TIMEOUT,
                    "KEYSMITH_SHARED_SESSIONS", "true");
            String ownerEmail = TestData.email("nodes");
            Map<String, String> bootstrap = Node.bootstrap(ownerEmail, keyFile);
            try (Node a = new Node("node-a", dir, WebhooksKillIntegrationTests.freePort(), env, bootstrap);
                 Node b = new Node("node-b", dir, WebhooksKillIntegrationTests.freePort(), env, Map.of())) {
                a.start();
                String key = Node.bootstrapKey(keyFile);
                IntegrationAwait.until("node-a to hold every segment", WAIT, () -> owners(postgres).values().stream()
                        .allMatch(byOwner -> byOwner.size() == 1 && !byOwner.containsKey("null")));

                // 1. the second node gets its share of every shared processor
                long bStarted = System.nanoTime();
                b.start();
                long bUp = System.nanoTime();
                IntegrationAwait.until("the segments to be split 2/2", WAIT, () -> split(owners(postgres)));
                long split = System.nanoTime();
                Map<String, Map<String, Integer>> owners = owners(postgres);
                Figures.print(TEST, String.format("segments split %.0f ms after node-b answered (%.0f ms after its"
                        + " JVM started): %s", Figures.millis(split - bUp), Figures.millis(split - bStarted), owners));
                assertThat(owners).isNotEmpty().allSatisfy((processor, byOwner) ->
                        assertThat(byOwner.values()).as(processor).containsExactly(SEGMENTS / 2, SEGMENTS / 2));

                // 2. shared sessions: signed in through node-a, the same session cookie works on node-b
                String session = signIn(a, ownerEmail);
                HttpResponse<String> keysOnB = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + b.port + "/keys")).header("Cookie", "SESSION=" + session)
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(keysOnB.statusCode()).as("node-b serves node-a's session").isEqualTo(200);
                HttpResponse<String> anonymousOnB = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + b.port + "/keys")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(anonymousOnB.statusCode()).as("without the session, node-b asks to sign in").isEqualTo(302);

                // 3. webhook messages from changes made through both nodes: each delivered exactly once
                Api.Response endpoint = a.api.post("/api/v1/webhooks", key, Map.of("name", "Nodes receiver",
                        "url", receiver.url("/nodes"), "events", List.of("key.updated")));
                assertThat(endpoint.status()).as(endpoint.raw().body()).isEqualTo(201);
                String keyId = a.api.get("/api/v1/keys", key).json().get(0).get("id").asText();
                for (int i = 1; i <= RENAMES; i++) {
                    Node via = i % 2 == 0 ? a : b;
                    Api.Response renamed = via.api.patch("/api/v1/keys/" + keyId, key, Map.of("name", "Name " + i));
                    assertThat(renamed.status()).as(renamed.raw().body()).isEqualTo(200);
                }
                Receiver.await("every rename delivered", WAIT, () -> names(receiver).size() == RENAMES);
                Thread.sleep(2_000); // time for a duplicate to show up, if there were one
                List<Receiver.Request> deliveries = receiver.requests("/nodes");
                Set<String> ids = new HashSet<>();
                deliveries.forEach(request -> ids.add(request.header("webhook-id")));
                Figures.print(TEST, RENAMES + " renames through both nodes: " + deliveries.size()
                        + " deliveries, " + ids.size() + " distinct messages, " + (deliveries.size() - ids.size())
                        + " duplicates");
                assertThat(ids).hasSize(RENAMES);
                assertThat(deliveries).hasSize(RENAMES);

                Figures.print(TEST, "phase 2 done after " + (System.nanoTime() - bUp) / 1_000_000 + " ms");
                // 4. a key revoked on node-a is refused by node-b
                List<Long> latencies = new ArrayList<>();
                for (int trial = 1; trial <= TRIALS; trial++) {
                    Api.Response created = a.api.post("/api/v1/keys", key,
                            Map.of("name", "Trial " + trial, "environment", "development"));
                    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
                    String trialKey = created.json().get("secret").asText();
                    String trialId = created.json().get("id").asText();
                    Receiver.await("node-b to accept the new key", WAIT,
                            () -> b.api.get("/api/v1/whoami", trialKey).status() == 200);
                    Api.Response revoke = a.api.delete("/api/v1/keys/" + trialId, key);
                    assertThat(revoke.status()).as(revoke.raw().body()).isEqualTo(200);
                    long revoked = System.nanoTime();
                    Api.Response refused;
                    while ((refused = b.api.get("/api/v1/whoami", trialKey)).status() == 200) {
                        Thread.onSpinWait();
                    }
                    latencies.add(System.nanoTime() - revoked);
                    assertThat(refused.status()).isEqualTo(401);
                    assertThat(refused.json().get("code").asText()).isEqualTo("key_revoked");
                }
                Figures.print(TEST, "revoked on node-a, refused by node-b after " + Figures.percentiles(latencies));

                Figures.print(TEST, "phase 3 done after " + (System.nanoTime() - bUp) / 1_000_000 + " ms");
                // 5. kill the node holding the workspace's segment; the other takes over and loses nothing
                String tenantId = a.api.get("/api/v1/whoami", key).json().get("tenantId").asText();
                int segment = tenantId.hashCode() & (SEGMENTS - 1);
                String victimOwner = owner(postgres, "key-table", segment);
                Node victim = victimOwner.startsWith(a.pid() + "@") ? a : b;
                Node survivor = victim == a ? b : a;
                String survivorOwner = survivor.pid() + "@";
                int beforeKill = names(receiver).size();
                victim.kill();
                long killed = System.nanoTime();
                AtomicLong tookOver = new AtomicLong();
                Thread watcher = new Thread(() -> {
                    Receiver.await("the survivor to hold every segment", WAIT, () -> owners(postgres, 1).values()
                            .stream().allMatch(byOwner -> byOwner.size() == 1
                                    && byOwner.keySet().iterator().next().startsWith(survivorOwner)));
                    tookOver.set(System.nanoTime());
                });
                watcher.start();
                List<Long> changeTimes = new ArrayList<>();
                for (int i = 1; i <= AFTER_KILL; i++) {
                    long sent = System.nanoTime();
                    Api.Response renamed = survivor.api.patch("/api/v1/keys/" + keyId, key,
                            Map.of("name", "After kill " + i));
                    changeTimes.add(System.nanoTime() - sent);
                    assertThat(renamed.status()).as(renamed.raw().body()).isEqualTo(200);
                }
                watcher.join(WAIT.toMillis());
                assertThat(tookOver.get()).as("the survivor took over every segment").isPositive();
                Figures.print(TEST, String.format("%s (holding segment %d of the workspace) killed; %s held every "
                        + "segment %.0f ms later (claim timeout %s); %d renames on the survivor meanwhile: %s",
                        victim.name, segment, survivor.name, Figures.millis(tookOver.get() - killed), CLAIM_TIMEOUT,
                        AFTER_KILL, Figures.percentiles(changeTimes)));
                Receiver.await("every rename after the kill delivered", WAIT,
                        () -> names(receiver).size() == beforeKill + AFTER_KILL);
                JsonNode table = survivor.api.get("/api/v1/keys", key).json();
                JsonNode renamedKey = null;
                for (JsonNode row : table) {
                    if (row.get("id").asText().equals(keyId)) {
                        renamedKey = row;
                    }
                }
                assertThat(renamedKey).isNotNull();
                assertThat(renamedKey.get("name").asText()).isEqualTo("After kill " + AFTER_KILL);
                // the audit trail holds every event of the workspace, chained in the order the projection saw them
                // (two nodes commit out of index order now and then: the check matches records to events by id)
                JsonNode audit = survivor.api.get("/api/v1/audit/verify", key).json();
                Figures.print(TEST, "audit verify on the survivor: " + audit);
                assertThat(audit.get("intact").asBoolean()).as(audit.toString()).isTrue();
                assertThat(audit.get("records").asLong()).isEqualTo(audit.get("storeEvents").asLong());
            }
        } finally {
            mongo.shutdownNow();
        }
    }

    /** Owners of each shared processor's segments (processors with one segment are left out): owner -> count. */
    static Map<String, Map<String, Integer>> owners(TestPostgres postgres) {
        return owners(postgres, SEGMENTS);
    }

    static Map<String, Map<String, Integer>> owners(TestPostgres postgres, int minSegments) {
        Map<String, Map<String, Integer>> owners = new TreeMap<>();
        Map<String, Integer> segments = new HashMap<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT processorname, owner FROM tokenentry")) {
            while (rows.next()) {
                String processor = rows.getString(1);
                segments.merge(processor, 1, Integer::sum);
                owners.computeIfAbsent(processor, p -> new TreeMap<>())
                        .merge(String.valueOf(rows.getString(2)), 1, Integer::sum);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        owners.keySet().removeIf(processor -> segments.get(processor) < minSegments);
        return owners;
    }

    static String owner(TestPostgres postgres, String processor, int segment) throws SQLException {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT owner FROM tokenentry WHERE processorname = '"
                     + processor + "' AND segment = " + segment)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    static boolean split(Map<String, Map<String, Integer>> owners) {
        return !owners.isEmpty() && owners.values().stream().allMatch(byOwner -> byOwner.size() == 2
                && !byOwner.containsKey("null") && byOwner.values().stream().allMatch(n -> n == SEGMENTS / 2));
    }

    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"");
    static final Pattern SESSION = Pattern.compile("SESSION=([^;]+)");

    /** Signs in through the real form on this node; the session cookie's value after sign-in. */
    static String signIn(Node node, String email) throws Exception {
        String base = "http://127.0.0.1:" + node.port;
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).as("a _csrf field on the login page").isTrue();
        String form = "email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(TestData.PASSWORD, StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(csrf.group(1) != null ? csrf.group(1) : csrf.group(2), StandardCharsets.UTF_8);
        HttpResponse<String> signedIn = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Cookie", "SESSION=" + session(page))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElse("")).doesNotContain("error", "login");
        return session(signedIn);
    }

    static String session(HttpResponse<String> response) {
        for (String cookie : response.headers().allValues("Set-Cookie")) {
            Matcher matcher = SESSION.matcher(cookie);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        throw new AssertionError("no SESSION cookie in " + response.headers().map());
    }

    static Set<String> names(Receiver receiver) {
        Set<String> names = new HashSet<>();
        for (Receiver.Request request : receiver.requests("/nodes")) {
            try {
                names.add(Api.JSON.readTree(request.body()).get("data").get("changes").get("name").get("to").asText());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return names;
    }
}
