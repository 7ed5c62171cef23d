package dev.keysmith.keys.usage;

import com.mongodb.client.MongoDatabase;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.EmbeddedMongo;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.IpAllowlist;
import dev.keysmith.keys.RequestLogEntry;
import dev.keysmith.keys.RequestLogQuery;
import dev.keysmith.keys.RequestLogs;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.VerifiedKey;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The request_log collection on the embedded MongoDB: filters, cursor pages, histogram, retention and cap. */
class RequestLogStoreTests {

    static EmbeddedMongo mongo;
    final TenantId tenant = TenantId.generate();
    final TenantId other = TenantId.generate();
    final Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
    final VerifiedKey live = key(Environment.PRODUCTION, "Acme");
    final VerifiedKey sandbox = key(Environment.SANDBOX, "Globex");
    final AtomicInteger sequence = new AtomicInteger();
    MongoDatabase database;
    RequestLogStore store;

    @BeforeAll
    static void start() {
        mongo = new EmbeddedMongo();
    }

    @AfterAll
    static void stop() {
        mongo.close();
    }

    @BeforeEach
    void setUp() {
        database = mongo.freshDatabase();
        store = new RequestLogStore(database);
    }

    VerifiedKey key(Environment environment, String brand) {
        return new VerifiedKey(ApiKeyId.generate(), tenant, "K", environment, brand, null, IpAllowlist.ANYWHERE, null,
                null, null, false);
    }

    RequestLogEntry save(TenantId owner, VerifiedKey key, Instant time, int status, String code, Duration retention) {
        RequestLogEntry entry = RequestLogEntry.of(time, owner, key, key == null ? null : "ks_live_abcd", "GET",
                "/api/v1/keys", status, code, 1500, "203.0.113.7", "curl/8.0")
                .withId(String.format("req_%012x0000%08x", time.toEpochMilli(), sequence.incrementAndGet()));
        store.insert(List.of(RequestLogStore.document(entry, time.plus(retention))));
        return entry;
    }

    RequestLogEntry save(VerifiedKey key, Instant time, int status, String code) {
        return save(tenant, key, time, status, code, Duration.ofDays(30));
    }

    RequestLogQuery query(Integer statusFrom, Integer statusTo) {
        return new RequestLogQuery(null, null, statusFrom, statusTo, null, null, null, null, null, 100);
    }

    static List<String> ids(RequestLogs.Page page) {
        return page.items().stream().map(RequestLogEntry::id).toList();
    }

    @Test
    void newestFirstScopedToTheTenantWithEveryField() {
        RequestLogEntry a = save(live, t0, 200, null);
        RequestLogEntry b = save(live, t0.plusSeconds(1), 404, "key_not_found");
        save(other, null, t0.plusSeconds(2), 401, "unknown_key", Duration.ofDays(7));

        RequestLogs.Page page = store.search(tenant, RequestLogQuery.all());
        assertThat(ids(page)).containsExactly(b.id(), a.id());
        assertThat(page.next()).isNull();
        assertThat(page.items().get(0)).isEqualTo(b);
        assertThat(store.find(tenant, b.id())).contains(b);
        assertThat(store.find(other, b.id())).isEmpty();
    }

    @Test
    void eachFilterSelectsItsRows() {
        RequestLogEntry ok = save(live, t0, 200, null);
        RequestLogEntry notFound = save(live, t0.plusSeconds(1), 404, "key_not_found");
        RequestLogEntry invalid = save(sandbox, t0.plusSeconds(2), 400, "invalid_request");
        RequestLogEntry failed = save(sandbox, t0.plusSeconds(3), 503, "service_unavailable");

        assertThat(ids(store.search(tenant, query(404, 404)))).containsExactly(notFound.id());
        assertThat(ids(store.search(tenant, query(400, 499)))).containsExactly(invalid.id(), notFound.id());
        assertThat(ids(store.search(tenant, query(500, 599)))).containsExactly(failed.id());
        assertThat(ids(store.search(tenant, query(200, 299)))).containsExactly(ok.id());
        assertThat(ids(store.search(tenant, new RequestLogQuery(t0.plusSeconds(1), t0.plusSeconds(3), null, null,
                null, null, null, null, null, 10)))).containsExactly(invalid.id(), notFound.id());
        assertThat(ids(store.search(tenant, new RequestLogQuery(null, null, null, null, "Globex", null, null, null,
                null, 10)))).containsExactly(failed.id(), invalid.id());
        assertThat(ids(store.search(tenant, new RequestLogQuery(null, null, null, null, null, Environment.PRODUCTION,
                null, null, null, 10)))).containsExactly(notFound.id(), ok.id());
        assertThat(ids(store.search(tenant, new RequestLogQuery(null, null, null, null, null, null, sandbox.keyId(),
                null, null, 10)))).containsExactly(failed.id(), invalid.id());
        assertThat(ids(store.search(tenant, new RequestLogQuery(null, null, null, null, null, null, null,
                "invalid_request", null, 10)))).containsExactly(invalid.id());

        assertThat(store.histogram(tenant, RequestLogQuery.all())).isEqualTo(Map.of(200, 1L, 404, 1L, 400, 1L, 503, 1L));
        assertThat(store.histogram(tenant, query(400, 499))).isEqualTo(Map.of(404, 1L, 400, 1L));
    }

    @Test
    void pagesContinueAfterTheirCursorWhileNewerRecordsArrive() {
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // several records share a millisecond: the id breaks the tie
            existing.add(0, save(live, t0.plusMillis(i / 3), 200, null).id());
        }
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        RequestLogQuery query = RequestLogQuery.all().withLimit(4);
        RequestLogs.Page page = store.search(tenant, query);
        int pages = 0;
        while (true) {
            pages++;
            page.items().forEach(entry -> {
                assertThat(seen.add(entry.id())).as("no row twice").isTrue();
                order.add(entry.id());
            });
            save(live, t0.plusSeconds(60 + pages), 200, null); // a newer request arrives between pages
            if (page.next() == null) {
                break;
            }
            assertThat(RequestLogQuery.Cursor.decode(page.next().encode())).isEqualTo(page.next());
            page = store.search(tenant, query.after(page.next()));
        }
        assertThat(order).containsExactlyElementsOf(existing);
        assertThat(pages).isEqualTo(7);
    }

    @Test
    void purgeDeletesWhatPassedItsRetentionThenTheOldestBeyondTheCap() {
        save(tenant, live, t0, 200, null, Duration.ofDays(7));
        RequestLogEntry keptLonger = save(tenant, live, t0.plusSeconds(1), 200, null, Duration.ofDays(30));
        List<String> newest = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            newest.add(0, save(live, t0.plusSeconds(10 + i), 200, null).id());
        }
        assertThat(store.purge(t0.plus(Duration.ofDays(8)), 0)).isEqualTo(1);
        assertThat(store.find(tenant, keptLonger.id())).isPresent();
        assertThat(store.purge(t0.plus(Duration.ofDays(8)), 3)).isEqualTo(3);
        assertThat(store.ids(tenant)).containsExactlyElementsOf(newest.subList(0, 3));
    }

    @Test
    void aTtlIndexOnExpiresAtIsDeclaredForARealMongoDb() {
        List<Document> indexes = database.getCollection(RequestLogStore.COLLECTION).listIndexes().into(new ArrayList<>());
        assertThat(indexes).anySatisfy(index -> {
            assertThat(index.get("key", Document.class)).containsKey("expiresAt");
            assertThat(((Number) index.get("expireAfterSeconds")).longValue()).isZero();
        });
    }

    @Test
    void cursorsThatAreNotOursAreRefused() {
        assertThat(RequestLogQuery.Cursor.decode("not a cursor")).isNull();
        assertThat(RequestLogQuery.Cursor.decode("")).isNull();
        assertThat(RequestLogQuery.Cursor.decode(java.util.Base64.getUrlEncoder().encodeToString("12:abc".getBytes())))
                .isNull();
    }

    @Test
    void keysInPathsAndUserAgentsAreRedacted() {
        RequestLogEntry entry = RequestLogEntry.of(t0, tenant, live, "ks_live_abcd", "GET",
                "/api/v1/keys/ks_live_abcdefghijklmnopqrstuvwxyz0123456789AB", 404, "key_not_found", 10,
                "203.0.113.7", "agent ks_test_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ\n" + "x".repeat(300));
        assertThat(entry.path()).isEqualTo("/api/v1/keys/ks_live_[redacted]");
        assertThat(entry.userAgent()).startsWith("agent ks_test_[redacted]?").hasSize(RequestLogEntry.MAX_USER_AGENT)
                .doesNotContain("ZZZZ");
    }
}
