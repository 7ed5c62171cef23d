package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.keysmith.audit.AuditTrail;
import dev.keysmith.audit.ChainCheck;
import dev.keysmith.audit.ChainHead;
import dev.keysmith.audit.ExportVerifier;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.Actor;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Projections;
import dev.keysmith.keys.RevocationReason;
import dev.keysmith.keys.TenantId;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail end to end: records with subjects, descriptions and actor metadata; filters and cursor paging;
 * the hash chain verified against the event store and broken on purpose (a record altered, deleted, two swapped,
 * one missing), each break found at the right position; exports verified offline (and failing at the tampered
 * line); refusals of bad input.
 */
@KeysmithIntegrationTest
class AuditIntegrationTests {

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;
    @Autowired
    AuditTrail trail;
    @Autowired
    Projections projections;
    @Autowired
    MongoDatabase database;

    Api api;
    TenantId tenant;
    String secret;
    ApiKeyId adminKey;

    @BeforeEach
    void tenantWithHistory() {
        api = new Api(port);
        tenant = accounts.signUp("Audited", TestData.email("audit"), TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
        ApiKeys.IssuedKey issued = keys.create(tenant, new ApiKeys.NewKey("Automation", "production", null,
                List.of(), null));
        secret = issued.secret();
        adminKey = issued.key().id();
    }

    static final Actor MEMBER = new Actor("mem_auditTestActor01", Actor.Type.MEMBER, "203.0.113.9",
            "AuditTest/1.0", "corr-audit-test");

    /**
     * Creates, renames and revokes a key as a member through the facade (no API call, so no usage events: the
     * positions are fixed: 1 TenantRegistered, 2 and 3 ApiKeyCreated, 4 ApiKeyRenamed, 5 ApiKeyRevoked).
     */
    String scriptedKeyChanges() {
        return Actor.runAs(MEMBER, () -> {
            ApiKeyId id = keys.create(tenant, new ApiKeys.NewKey("Billing", "sandbox", null, List.of(), null))
                    .key().id();
            keys.update(tenant, id, "Billing v2", List.of());
            keys.revoke(tenant, id, RevocationReason.LEAKED);
            projections.awaitCurrent();
            return id.value();
        });
    }

    /** The same changes over the API (usage events of the calling key come in between, at any position). */
    String scriptedKeyChangesOverTheApi() {
        Api.Response created = api.post("/api/v1/keys", secret, Map.of("name", "Billing", "environment", "sandbox"));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(api.patch("/api/v1/keys/" + id, secret, Map.of("name", "Billing v2")).status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/keys/" + id + "?reason=leaked", secret).status()).isEqualTo(200);
        projections.awaitCurrent();
        return id;
    }

    static <T> T await(String what, Supplier<T> attempt, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        T value = attempt.get();
        while (!done.test(value)) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.onSpinWait();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            value = attempt.get();
        }
        return value;
    }

    List<JsonNode> allEvents(String query) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get("/api/v1/audit/events?limit=3" + query
                    + (cursor == null ? "" : "&cursor=" + cursor), secret);
            assertThat(page.status()).isEqualTo(200);
            page.json().get("items").forEach(items::add);
            cursor = page.json().get("next").isNull() ? null : page.json().get("next").asText();
        } while (cursor != null);
        return items;
    }

    @Test
    void trailShowsEveryEventWithSubjectDescriptionAndActor() {
        String id = scriptedKeyChangesOverTheApi();
        List<JsonNode> withUsage = allEvents("");
        for (int i = 0; i < withUsage.size(); i++) {
            assertThat(withUsage.get(i).get("position").asLong()).isEqualTo(i + 1);
        }
        List<JsonNode> items = withUsage.stream().filter(item -> !item.get("type").asText().startsWith("ApiKeyUsage")
                && !item.get("type").asText().equals("ApiKeyUsed")).toList(); // usage (and spikes) follow traffic
        assertThat(items).extracting(item -> item.get("type").asText()).containsExactly("TenantRegistered",
                "ApiKeyCreated", "ApiKeyCreated", "ApiKeyRenamed", "ApiKeyRevoked");
        JsonNode renamed = items.get(3);
        assertThat(renamed.get("description").asText()).isEqualTo("Name Billing -> Billing v2");
        assertThat(renamed.get("subject").asText()).startsWith("Billing v2 (ks_test_");
        assertThat(renamed.get("subjectId").asText()).isEqualTo(id);
        assertThat(renamed.get("actor").asText()).isEqualTo(adminKey.value());
        assertThat(renamed.get("actorType").asText()).isEqualTo("api_key");
        assertThat(renamed.get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(renamed.get("userAgent").asText()).isNotBlank();
        assertThat(renamed.get("correlationId").asText()).isNotBlank();
        assertThat(renamed.get("payload").get("to").asText()).isEqualTo("Billing v2");
        assertThat(items.get(4).get("description").asText()).isEqualTo("Revoked (leaked)");
        assertThat(items.get(4).get("subject").asText()).startsWith("Billing v2");
        // each record links to the one before
        for (int i = 1; i < withUsage.size(); i++) {
            assertThat(withUsage.get(i).get("prevHash").asText()).isEqualTo(withUsage.get(i - 1).get("hash").asText());
        }
        // filters
        assertThat(allEvents("&keyId=" + id)).extracting(item -> item.get("type").asText())
                .containsExactly("ApiKeyCreated", "ApiKeyRenamed", "ApiKeyRevoked");
        assertThat(allEvents("&type=ApiKeyRevoked")).hasSize(1);
        assertThat(allEvents("&actor=" + adminKey.value())).hasSize(3);
        JsonNode revoked = items.get(4);
        assertThat(allEvents("&from=" + revoked.get("time").asText()).get(0).get("position").asLong())
                .isEqualTo(revoked.get("position").asLong());
        assertThat(allEvents("&to=" + revoked.get("time").asText()))
                .hasSize((int) revoked.get("position").asLong() - 1);
        // no secret anywhere in the trail
        String everything = api.get("/api/v1/audit/export?format=ndjson", secret).raw().body();
        assertThat(everything).doesNotContain(secret.substring(8));
    }

    @Test
    void anotherTenantsTrailIsInvisible() {
        scriptedKeyChanges();
        TenantId other = accounts.signUp("Other", TestData.email("other"), TestData.PASSWORD, Plan.PRO).tenantId();
        String otherSecret = keys.create(other, new ApiKeys.NewKey("Theirs", "production", null, List.of(), null))
                .secret();
        projections.awaitCurrent();
        JsonNode theirs = api.get("/api/v1/audit/events", otherSecret).json();
        assertThat(theirs.get("items")).hasSize(2);
        assertThat(theirs.toString()).doesNotContain(tenant.value());
        String id = allEvents("&type=ApiKeyCreated").get(1).get("subjectId").asText();
        assertThat(api.get("/api/v1/audit/keys/" + id + "?at=" + Instant.now(), otherSecret).status()).isEqualTo(404);
    }

    @Test
    void verifyReportsAnIntactChainAndItsHead() {
        scriptedKeyChanges();
        assertThat(trail.events(tenant, dev.keysmith.audit.AuditFilter.ALL, "2", 10).items())
                .extracting(r -> r.actor() + " " + r.actorType() + " " + r.ip() + " " + r.userAgent() + " "
                        + r.correlationId())
                .containsOnly("mem_auditTestActor01 member 203.0.113.9 AuditTest/1.0 corr-audit-test").hasSize(3);
        JsonNode verified = api.get("/api/v1/audit/verify", secret).json();
        assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.get("records").asLong()).isEqualTo(5);
        assertThat(verified.get("storeEvents").asLong()).isEqualTo(5);
        assertThat(verified.get("head").get("position").asLong()).isEqualTo(5);
        assertThat(verified.get("head").get("hash").asText()).hasSize(64).isEqualTo(record(5).getString("hash"));
        // the calls above count as usage of the key, so a usage flush may have added a record since
        JsonNode head = api.get("/api/v1/audit/head", secret).json().get("head");
        long position = head.get("position").asLong();
        assertThat(position).isGreaterThanOrEqualTo(5);
        assertThat(head.get("hash").asText()).isEqualTo(record(position).getString("hash"));
    }

    MongoCollection<Document> trailCollection() {
        return database.getCollection("audit_trail");
    }

    Document record(long position) {
        return trailCollection().find(Filters.and(Filters.eq("tenantId", tenant.value()),
                Filters.eq("position", position))).first();
    }

    @Test
    void anAlteredRecordIsFoundAtItsPosition() {
        scriptedKeyChanges();
        Document renamed = record(4);
        trailCollection().updateOne(Filters.eq("_id", renamed.get("_id")), Updates.set("payload",
                renamed.getString("payload").replace("Billing v2", "Something else")));
        ChainCheck check = trail.verify(tenant);
        assertThat(check.intact()).isFalse();
        assertThat(check.breakPosition()).isEqualTo(4);
        assertThat(check.kind()).isEqualTo(ChainCheck.Break.ALTERED);
        assertThat(check.head()).isEqualTo(new ChainHead(3, record(3).getString("hash")));
    }

    @Test
    void anAlteredRecordWithARecomputedHashStillDiffersFromTheStore() {
        scriptedKeyChanges();
        Document created = record(3);
        String forged = created.getString("payload").replace("\"sandbox\"", "\"production\"");
        dev.keysmith.audit.AuditRecord original = recordOf(created);
        dev.keysmith.audit.AuditRecord altered = new dev.keysmith.audit.AuditRecord(original.tenantId(),
                original.position(), original.eventId(), original.type(), original.time(), original.actor(),
                original.actorType(), original.ip(), original.userAgent(), original.correlationId(),
                original.subjectKind(), original.subjectId(), original.subject(), original.description(), forged,
                original.prevHash(), null);
        trailCollection().updateOne(Filters.eq("_id", created.get("_id")), Updates.combine(
                Updates.set("payload", forged), Updates.set("hash", dev.keysmith.audit.AuditChain.hash(altered))));
        ChainCheck check = trail.verify(tenant);
        assertThat(check.intact()).isFalse();
        assertThat(check.breakPosition()).isEqualTo(3);
        assertThat(check.kind()).isEqualTo(ChainCheck.Break.ALTERED);
        assertThat(check.detail()).contains("payload");
    }

    @Test
    void aDeletedRecordIsFoundAtItsPosition() {
        scriptedKeyChanges();
        trailCollection().deleteOne(Filters.eq("_id", record(2).get("_id")));
        ChainCheck check = trail.verify(tenant);
        assertThat(check.intact()).isFalse();
        assertThat(check.breakPosition()).isEqualTo(2);
        assertThat(check.kind()).isEqualTo(ChainCheck.Break.REMOVED);
    }

    @Test
    void twoSwappedRecordsAreFoundAtTheFirst() {
        scriptedKeyChanges();
        Document third = record(3);
        Document fourth = record(4);
        trailCollection().updateOne(Filters.eq("_id", third.get("_id")), Updates.set("position", -4L));
        trailCollection().updateOne(Filters.eq("_id", fourth.get("_id")), Updates.set("position", 3L));
        trailCollection().updateOne(Filters.eq("_id", third.get("_id")), Updates.set("position", 4L));
        ChainCheck check = trail.verify(tenant);
        assertThat(check.intact()).isFalse();
        assertThat(check.breakPosition()).isEqualTo(3);
        assertThat(check.kind()).isEqualTo(ChainCheck.Break.REORDERED);
    }

    /**
     * Two transactions may commit out of their index order (two nodes, or a usage flush beside a request): the
     * projection then chains the later-indexed event first. Rewritten here as the projection would have written it
     * (records 3 and 4 hold each other's events, the chain recomputed from 3 on), the trail is intact.
     */
    @Test
    void aTrailInProcessingOrderRatherThanIndexOrderIsIntact() {
        scriptedKeyChanges();
        Document third = record(3);
        Document fourth = record(4);
        java.util.Set<String> chainFields = java.util.Set.of("_id", "position", "prevHash", "hash");
        Document newThird = new Document(fourth);
        Document newFourth = new Document(third);
        chainFields.forEach(field -> {
            newThird.put(field, third.get(field));
            newFourth.put(field, fourth.get(field));
        });
        trailCollection().deleteMany(Filters.in("_id", third.get("_id"), fourth.get("_id")));
        trailCollection().insertMany(List.of(newThird, newFourth));
        String prev = record(2).getString("hash");
        for (long position = 3; record(position) != null; position++) {
            Document d = record(position);
            dev.keysmith.audit.AuditRecord relinked = recordOf(d.append("prevHash", prev));
            String hash = dev.keysmith.audit.AuditChain.hash(relinked);
            trailCollection().updateOne(Filters.eq("_id", d.get("_id")),
                    Updates.combine(Updates.set("prevHash", prev), Updates.set("hash", hash)));
            prev = hash;
        }
        ChainCheck check = trail.verify(tenant);
        assertThat(check.intact()).as(check.detail()).isTrue();
        assertThat(check.records()).isEqualTo(check.storeEvents());
    }

    @Test
    void anEventTheTrailLacksIsReportedMissing() {
        scriptedKeyChanges();
        trailCollection().deleteOne(Filters.eq("_id", record(5).get("_id")));
        JsonNode verified = api.get("/api/v1/audit/verify", secret).json();
        assertThat(verified.get("intact").asBoolean()).isFalse();
        assertThat(verified.get("break").get("position").asLong()).isEqualTo(5);
        assertThat(verified.get("break").get("kind").asText()).isEqualTo("missing");
        assertThat(verified.get("head").get("position").asLong()).isEqualTo(4);
    }

    static dev.keysmith.audit.AuditRecord recordOf(Document d) {
        return new dev.keysmith.audit.AuditRecord(d.getString("tenantId"), d.getLong("position"),
                d.getString("eventId"), d.getString("type"), Instant.parse(d.getString("timeText")),
                d.getString("actor"), d.getString("actorType"), d.getString("ip"), d.getString("userAgent"),
                d.getString("correlationId"), d.getString("subjectKind"), d.getString("subjectId"),
                d.getString("subject"), d.getString("description"), d.getString("payload"), d.getString("prevHash"),
                d.getString("hash"));
    }

    @Test
    void exportsVerifyOfflineAndATamperedLineFailsThere(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        scriptedKeyChanges();
        ChainHead head = trail.head(tenant).orElseThrow();
        Api.Response ndjson = api.get("/api/v1/audit/export?format=ndjson", secret);
        assertThat(ndjson.status()).isEqualTo(200);
        assertThat(ndjson.header("Content-Type")).startsWith("application/x-ndjson");
        assertThat(ndjson.header("Content-Disposition")).contains("attachment");
        String body = ndjson.raw().body();
        assertThat(body.lines()).hasSizeGreaterThanOrEqualTo(5);

        Path file = dir.resolve("trail.ndjson");
        Files.writeString(file, body);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ExportVerifier.run(new String[]{file.toString(), "--head=" + head}, new PrintStream(out),
                new PrintStream(err));
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Verified " + body.lines().count() + " records")
                .contains("chain head matches");

        // a wrong head is refused
        assertThat(ExportVerifier.run(new String[]{file.toString(), "--head=5:" + "ab".repeat(32)},
                new PrintStream(out), new PrintStream(err))).isEqualTo(1);

        // tamper with line 4 (the rename): its hash no longer matches
        List<String> lines = new ArrayList<>(body.lines().toList());
        lines.set(3, lines.get(3).replace("\"to\":\"Billing v2\"", "\"to\":\"Innocent\""));
        assertThat(lines.get(3)).contains("Innocent");
        ExportVerifier.Result tampered = ExportVerifier.verify(new StringReader(String.join("\n", lines)), false, null);
        assertThat(tampered.verified()).isFalse();
        assertThat(tampered.line()).isEqualTo(4L);
        assertThat(tampered.message()).contains("Line 4").contains("altered");

        // a line removed: the link from position 5 to its predecessor is checked where positions are consecutive
        List<String> reordered = new ArrayList<>(body.lines().toList());
        java.util.Collections.swap(reordered, 1, 2);
        ExportVerifier.Result swapped = ExportVerifier.verify(new StringReader(String.join("\n", reordered)), false, null);
        assertThat(swapped.verified()).isFalse();
        assertThat(swapped.line()).isEqualTo(3L);

        // CSV: the same records, verified the same way; a tampered cell fails at its line
        Api.Response csv = api.get("/api/v1/audit/export?format=csv", secret);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        ExportVerifier.Result csvResult = ExportVerifier.verify(new StringReader(csv.raw().body()), true, head);
        assertThat(csvResult.verified()).as(csvResult.message()).isTrue();
        assertThat(csvResult.records()).isGreaterThanOrEqualTo(5);
        String tamperedCsv = csv.raw().body().replace("\"\"to\"\":\"\"Billing v2\"\"", "\"\"to\"\":\"\"Billing v3\"\"");
        assertThat(tamperedCsv).isNotEqualTo(csv.raw().body());
        ExportVerifier.Result csvTampered = ExportVerifier.verify(new StringReader(tamperedCsv), true, null);
        assertThat(csvTampered.verified()).isFalse();
        assertThat(csvTampered.line()).isEqualTo(5L);

        // a filtered export verifies too (hashes everywhere, links where consecutive)
        String filtered = api.get("/api/v1/audit/export?format=ndjson&type=ApiKeyCreated", secret).raw().body();
        assertThat(filtered.lines()).hasSize(2);
        assertThat(ExportVerifier.verify(new StringReader(filtered), false, null).verified()).isTrue();
    }

    @Test
    void badInputIsRefusedNamingTheParameter() {
        Api.Response badFrom = api.get("/api/v1/audit/events?from=yesterday", secret);
        assertThat(badFrom.status()).isEqualTo(400);
        assertThat(badFrom.raw().headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        assertThat(badFrom.json().get("errors").get(0).get("field").asText()).isEqualTo("from");
        Api.Response missingAt = api.get("/api/v1/audit/keys", secret);
        assertThat(missingAt.status()).isEqualTo(400);
        assertThat(missingAt.json().get("errors").get(0).get("field").asText()).isEqualTo("at");
        Api.Response badAt = api.get("/api/v1/audit/keys/" + adminKey + "?at=2026-13-45", secret);
        assertThat(badAt.status()).isEqualTo(400);
        assertThat(badAt.json().get("errors").get(0).get("field").asText()).isEqualTo("at");
        Api.Response backwards = api.get("/api/v1/audit/diff?from=2026-03-02&to=2026-03-01", secret);
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.json().get("errors").get(0).get("field").asText()).isEqualTo("to");
        Api.Response badFormat = api.get("/api/v1/audit/export?format=xml", secret);
        assertThat(badFormat.status()).isEqualTo(400);
        assertThat(badFormat.json().get("errors").get(0).get("field").asText()).isEqualTo("format");
        assertThat(api.get("/api/v1/audit/events?cursor=abc", secret).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/audit/events?limit=0", secret).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/audit/events", null).status()).isEqualTo(401);
    }
}
