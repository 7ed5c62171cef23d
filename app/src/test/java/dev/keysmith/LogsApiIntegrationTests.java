package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.RequestLogQuery;
import dev.keysmith.keys.RequestLogs;
import dev.keysmith.keys.TenantDirectory;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/v1/logs: what is recorded, each filter, validation, tenancy, cursor pages while requests arrive. */
@KeysmithIntegrationTest
class LogsApiIntegrationTests {

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;
    @Autowired
    RequestLogs logs;
    @Autowired
    TenantDirectory directory;

    record Tenant(TenantId id, String clientId, ApiKeys.IssuedKey live, ApiKeys.IssuedKey sandbox,
                  ApiKeys.IssuedKey reader) {
    }

    Tenant tenant(String name) {
        TenantId id = accounts.signUp(name, TestData.email("logs"), TestData.PASSWORD, Plan.PRO).tenantId();
        accounts.addBrand(id, "Acme");
        ApiKeys.IssuedKey live = keys.create(id, new ApiKeys.NewKey("Live", "production", null, List.of(), "Acme"));
        ApiKeys.IssuedKey sandbox = keys.create(id, new ApiKeys.NewKey("Sandbox", "sandbox", null, List.of(), null));
        ApiKeys.IssuedKey reader = keys.create(id, new ApiKeys.NewKey("Reader", "production", null, List.of(), null));
        return new Tenant(id, directory.tenant(id).orElseThrow().clientId(), live, sandbox, reader);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** How many records of the tenant match (through the facade, so that the count itself is not logged). */
    long count(TenantId tenant, RequestLogQuery query) {
        return logs.histogram(tenant, query).values().stream().mapToLong(Long::longValue).sum();
    }

    long countKey(Tenant tenant, ApiKeys.IssuedKey key) {
        return count(tenant.id(), new RequestLogQuery(null, null, null, null, null, null, key.key().id(), null, null, 1));
    }

    List<JsonNode> items(Api.Response response) {
        assertThat(response.status()).as(response.json().toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        response.json().get("items").forEach(items::add);
        return items;
    }

    /** The items of a page, without the reader key's own requests. */
    List<JsonNode> mine(Tenant t, Api.Response response) {
        return items(response).stream()
                .filter(item -> !t.reader().key().id().value().equals(item.path("keyId").asText(null))).toList();
    }

    @Test
    void servedAndRefusedRequestsAreRecordedWithEveryFieldAndEachFilterFindsThem() throws Exception {
        Tenant t = tenant("Logs filters");
        Tenant other = tenant("Logs other");
        Api api = new Api(port);
        Instant before = Instant.now();
        assertThat(api.send("GET", "/api/v1/whoami?token=abc", t.live().secret(), null,
                Map.of("User-Agent", "FilterTest/1.0")).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/keys/key_0000000000000000", t.live().secret()).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/whoami", t.sandbox().secret()).status()).isEqualTo(200);
        keys.revoke(t.id(), t.sandbox().key().id(), dev.keysmith.keys.RevocationReason.MANUAL);
        assertThat(api.get("/api/v1/whoami", t.sandbox().secret()).status()).isEqualTo(401); // a refusal of a known key
        String unknown = dev.keysmith.keys.KeySecrets.generate(dev.keysmith.keys.Environment.PRODUCTION).plaintext();
        assertThat(api.send("GET", "/api/v1/whoami", unknown, null, Map.of("X-Access-Client-Id", t.clientId()))
                .status()).isEqualTo(401); // no key, but the Client ID names the tenant
        assertThat(api.get("/api/v1/whoami", null).status()).isEqualTo(401); // nobody's
        await(() -> count(t.id(), RequestLogQuery.all()) == 5, "5 records");

        List<JsonNode> all = items(api.get("/api/v1/logs", t.reader().secret()));
        assertThat(all).extracting(item -> item.get("status").asInt()).containsExactly(401, 401, 200, 404, 200);
        JsonNode served = all.get(4);
        assertThat(served.get("id").asText()).matches("req_[0-9a-f]{24}");
        assertThat(served.get("keyId").asText()).isEqualTo(t.live().key().id().value());
        assertThat(served.get("keyPrefix").asText()).isEqualTo(t.live().key().prefix());
        assertThat(served.get("brand").asText()).isEqualTo("Acme");
        assertThat(served.get("environment").asText()).isEqualTo("production");
        assertThat(served.get("method").asText()).isEqualTo("GET");
        assertThat(served.get("path").asText()).isEqualTo("/api/v1/whoami");
        assertThat(served.get("code").isNull()).isTrue();
        assertThat(served.get("latencyMicros").asLong()).isPositive();
        assertThat(served.get("clientIp").asText()).isEqualTo("127.0.0.1");
        assertThat(served.get("userAgent").asText()).isEqualTo("FilterTest/1.0");
        assertThat(Instant.parse(served.get("time").asText())).isAfterOrEqualTo(before.minusMillis(1));
        assertThat(all.get(0).get("code").asText()).isEqualTo("unknown_key");
        assertThat(all.get(0).get("keyId").isNull()).isTrue();
        assertThat(all.get(1).get("code").asText()).isEqualTo("key_revoked");
        assertThat(all.get(1).get("keyId").asText()).isEqualTo(t.sandbox().key().id().value());
        assertThat(all.toString()).doesNotContain(t.live().secret()).doesNotContain(unknown);

        String reader = t.reader().secret();
        // from here on the reader's own /logs calls are in the log too: mine() leaves them out
        assertThat(mine(t, api.get("/api/v1/logs?status=404", reader))).extracting(i -> i.get("code").asText())
                .containsExactly("key_not_found");
        assertThat(mine(t, api.get("/api/v1/logs?status=4xx", reader))).hasSize(3);
        assertThat(mine(t, api.get("/api/v1/logs?status=2xx", reader))).hasSize(2);
        assertThat(mine(t, api.get("/api/v1/logs?status=5xx", reader))).isEmpty();
        assertThat(mine(t, api.get("/api/v1/logs?brand=Acme", reader))).hasSize(2);
        assertThat(mine(t, api.get("/api/v1/logs?environment=sandbox", reader))).hasSize(2);
        assertThat(items(api.get("/api/v1/logs?keyId=" + t.live().key().id().value(), reader))).hasSize(2);
        assertThat(mine(t, api.get("/api/v1/logs?code=key_revoked", reader))).hasSize(1);
        assertThat(mine(t, api.get("/api/v1/logs?from=" + Instant.now().plusSeconds(60), reader))).isEmpty();
        assertThat(mine(t, api.get("/api/v1/logs?to=" + before.minusSeconds(1), reader))).isEmpty();
        assertThat(mine(t, api.get("/api/v1/logs?from=" + before.minusSeconds(1) + "&to="
                + Instant.now().plusSeconds(1), reader))).hasSize(5);

        JsonNode detail = api.get("/api/v1/logs/" + served.get("id").asText(), reader).json();
        assertThat(detail).isEqualTo(served);
        Api.Response foreign = api.get("/api/v1/logs/" + served.get("id").asText(), other.reader().secret());
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("log_not_found");
        assertThat(items(api.get("/api/v1/logs", other.reader().secret())))
                .noneMatch(item -> item.get("id").asText().equals(served.get("id").asText()));
    }

    @Test
    void badFilterValuesAreRefusedNamingEachParameter() {
        Tenant t = tenant("Logs invalid");
        Api api = new Api(port);
        Map<String, String> cases = Map.of(
                "from=yesterday", "from", "to=2026-13-40", "to", "status=6xx", "status", "status=99", "status",
                "environment=staging", "environment", "keyId=abc", "keyId", "code=Not-A-Code", "code",
                "cursor=garbage", "cursor", "limit=0", "limit", "limit=500", "limit");
        cases.forEach((query, field) -> {
            Api.Response response = api.get("/api/v1/logs?" + query, t.reader().secret());
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.code()).isEqualTo("invalid_request");
            assertThat(response.json().get("errors").get(0).get("field").asText()).as(query).isEqualTo(field);
        });
        Api.Response both = api.get("/api/v1/logs?from=x&status=y", t.reader().secret());
        assertThat(both.json().get("errors")).hasSize(2);
        Api.Response reversed = api.get("/api/v1/logs?from=2026-11-24&to=2026-11-23", t.reader().secret());
        assertThat(reversed.json().get("errors").get(0).get("field").asText()).isEqualTo("to");
    }

    @Test
    void cursorPagesStayCorrectWhileNewRequestsArrive() throws Exception {
        Tenant t = tenant("Logs pages");
        Api api = new Api(port);
        for (int i = 0; i < 45; i++) {
            assertThat(api.get("/api/v1/whoami", t.live().secret()).status()).isEqualTo(200);
        }
        await(() -> countKey(t, t.live()) == 45, "45 records");
        Set<String> existing = new HashSet<>();
        logs.search(t.id(), new RequestLogQuery(null, null, null, null, null, null, t.live().key().id(), null, null, 100))
                .items().forEach(entry -> existing.add(entry.id()));
        assertThat(existing).hasSize(45);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger added = new AtomicInteger();
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<?> traffic = background.submit(() -> {
            while (running.get()) {
                api.get("/api/v1/whoami", t.live().secret());
                added.incrementAndGet();
            }
        });
        try {
            List<String> seen = new ArrayList<>();
            String path = "/api/v1/logs?limit=10&keyId=" + t.live().key().id().value();
            Api.Response page = api.get(path, t.reader().secret());
            items(page).forEach(item -> seen.add(item.get("id").asText()));
            int pages = 1;
            while (!page.json().get("next").isNull()) {
                await(() -> added.get() >= 3, "new requests arriving"); // newer records land between pages
                added.set(0);
                page = api.get(path + "&cursor=" + page.json().get("next").asText(), t.reader().secret());
                items(page).forEach(item -> seen.add(item.get("id").asText()));
                pages++;
            }
            assertThat(seen).doesNotHaveDuplicates();
            assertThat(seen).containsAll(existing);
            assertThat(pages).isGreaterThanOrEqualTo(5);
            List<String> sorted = new ArrayList<>(seen);
            sorted.sort(java.util.Comparator.reverseOrder());
            assertThat(seen).as("newest first").isEqualTo(sorted);
        } finally {
            running.set(false);
            traffic.get();
            background.shutdown();
        }
    }
}
