package dev.keysmith.keys.apikey;

import com.mongodb.client.MongoDatabase;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.ApiKeyView.Status;
import dev.keysmith.keys.EmbeddedMongo;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeySecrets;
import dev.keysmith.keys.RevocationReason;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyExpired;
import dev.keysmith.keys.events.ApiKeyHidden;
import dev.keysmith.keys.events.ApiKeyIpAllowlistChanged;
import dev.keysmith.keys.events.ApiKeyRenamed;
import dev.keysmith.keys.events.ApiKeyRevoked;
import dev.keysmith.keys.events.ApiKeyUsageSettled;
import dev.keysmith.keys.events.ApiKeyUsageSpiked;
import dev.keysmith.keys.events.ApiKeyRotated;
import dev.keysmith.keys.events.ApiKeyUsed;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key table on mongo-java-server, its handlers called directly (as the processor would), and the status a row
 * shows at a given instant. Instants are whole milliseconds: MongoDB dates have millisecond precision.
 */
class ApiKeyTableProjectionTests {

    static EmbeddedMongo mongo;

    final TenantId tenant = TenantId.generate();
    final TenantId otherTenant = TenantId.generate();
    final Instant t0 = Instant.parse("2031-05-06T07:08:09.123Z");

    MongoDatabase database;
    ApiKeyTableProjection table;

    @BeforeAll
    static void startMongo() {
        mongo = new EmbeddedMongo();
    }

    @AfterAll
    static void stopMongo() {
        mongo.close();
    }

    @BeforeEach
    void setUp() {
        database = mongo.freshDatabase();
        table = new ApiKeyTableProjection(database);
    }

    static ApiKeyCreated created(TenantId tenant, Environment environment, String name, Instant expires) {
        KeySecrets.NewSecret secret = KeySecrets.generate(environment);
        return new ApiKeyCreated(ApiKeyId.generate(), tenant, name, environment, "Acme", List.of("10.0.0.0/8"),
                expires, secret.hash(), secret.prefix(), secret.last4(), false);
    }

    ApiKeyCreated add(TenantId tenant, Environment environment, String name, Instant expires, Instant at) {
        ApiKeyCreated event = created(tenant, environment, name, expires);
        table.on(event, at);
        return event;
    }

    ApiKeyView find(ApiKeyCreated key) {
        return table.find(key.tenantId(), key.keyId()).orElseThrow();
    }

    static List<String> names(List<ApiKeyView> views) {
        return views.stream().map(ApiKeyView::name).toList();
    }

    // ---- handlers ----

    @Test
    void aCreatedKeyIsARowWithEverythingButTheSecret() {
        Instant expires = t0.plus(Duration.ofDays(90));
        ApiKeyCreated event = add(tenant, Environment.DEVELOPMENT, "CI", expires, t0);

        ApiKeyView view = find(event);

        assertThat(view).isEqualTo(new ApiKeyView(event.keyId(), tenant, "CI", Environment.DEVELOPMENT, "Acme",
                List.of("10.0.0.0/8"), event.prefix(), event.last4(), t0, expires, null, 0, null, null, null, null,
                false, false, false));
        assertThat(view.masked()).isEqualTo(event.prefix() + "••••••••" + event.last4());
        Document row = database.getCollection("api_keys").find().first();
        assertThat(row.toJson()).doesNotContain(event.hash());
    }

    /**
     * Commands answer with the key as the aggregate holds it, and the UI then reads the table: both must fold the
     * same events to the same key, at every step (timestamps with microseconds, as the event store has them).
     */
    @Test
    void theAggregateHoldsEveryKeyAsTheTableShowsIt() {
        ApiKeyCreated event = created(tenant, Environment.PRODUCTION, "Billing", t0.plus(Duration.ofDays(30)));
        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
        Instant at = t0.plusNanos(456_789);
        ApiKey aggregate = new ApiKey();
        List<Runnable> steps = List.of(
                () -> {
                    table.on(event, at);
                    aggregate.on(event, at);
                },
                () -> {
                    ApiKeyRenamed renamed = new ApiKeyRenamed(event.keyId(), tenant, "Billing", "Invoices");
                    table.on(renamed);
                    aggregate.on(renamed);
                },
                () -> {
                    ApiKeyIpAllowlistChanged ips = new ApiKeyIpAllowlistChanged(event.keyId(), tenant,
                            List.of("10.0.0.0/8"), List.of("192.0.2.1"));
                    table.on(ips);
                    aggregate.on(ips);
                },
                () -> {
                    ApiKeyUsed used = new ApiKeyUsed(event.keyId(), tenant, Map.of("200", 7L), 7, 7, at.plusSeconds(1),
                            at.plusSeconds(2), "192.0.2.1", List.of("192.0.2.1"));
                    table.on(used);
                    aggregate.on(used);
                },
                () -> {
                    ApiKeyUsageSpiked spiked = new ApiKeyUsageSpiked(event.keyId(), tenant, at.plusSeconds(3), 900, 3, 10);
                    table.on(spiked);
                    aggregate.on(spiked);
                },
                () -> {
                    ApiKeyRotated rotated = new ApiKeyRotated(event.keyId(), tenant, next.hash(), next.prefix(),
                            next.last4(), event.hash(), at.plus(Duration.ofHours(1)));
                    table.on(rotated, at.plusSeconds(4));
                    aggregate.on(rotated, at.plusSeconds(4));
                },
                () -> {
                    ApiKeyRevoked revoked = new ApiKeyRevoked(event.keyId(), tenant, RevocationReason.LEAKED);
                    table.on(revoked, at.plusSeconds(5));
                    aggregate.on(revoked, at.plusSeconds(5));
                },
                () -> {
                    ApiKeyHidden hidden = new ApiKeyHidden(event.keyId(), tenant);
                    table.on(hidden);
                    aggregate.on(hidden);
                });
        for (Runnable step : steps) {
            step.run();
            assertThat(aggregate.view()).isEqualTo(find(event));
        }
        assertThat(aggregate.view().hidden()).isTrue();
        assertThat(aggregate.view().usageCount()).isEqualTo(7);
    }

    @Test
    void aTemporaryKeyIsMarkedTemporary() {
        KeySecrets.NewSecret secret = KeySecrets.generate(Environment.SANDBOX);
        ApiKeyCreated event = new ApiKeyCreated(ApiKeyId.generate(), tenant, "Temporary key", Environment.SANDBOX,
                null, List.of(), t0.plus(Duration.ofMinutes(15)), secret.hash(), secret.prefix(), secret.last4(), true);
        table.on(event, t0);
        assertThat(find(event).temporary()).isTrue();
        assertThat(find(event).brand()).isNull();
    }

    @Test
    void renameAllowlistRotationAndRevocationAreRecorded() {
        ApiKeyCreated event = add(tenant, Environment.PRODUCTION, "Billing", null, t0);
        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
        Instant rotatedAt = t0.plusSeconds(60);
        Instant revokedAt = t0.plusSeconds(120);

        table.on(new ApiKeyRenamed(event.keyId(), tenant, "Billing", "Invoices"));
        table.on(new ApiKeyIpAllowlistChanged(event.keyId(), tenant, List.of("10.0.0.0/8"), List.of("192.0.2.1")));
        table.on(new ApiKeyRotated(event.keyId(), tenant, next.hash(), next.prefix(), next.last4(), event.hash(),
                rotatedAt.plus(Duration.ofHours(1))), rotatedAt);
        ApiKeyView rotated = find(event);
        table.on(new ApiKeyRevoked(event.keyId(), tenant, RevocationReason.LEAKED), revokedAt);
        ApiKeyView revoked = find(event);

        assertThat(rotated.name()).isEqualTo("Invoices");
        assertThat(rotated.ips()).containsExactly("192.0.2.1");
        assertThat(rotated.prefix()).isEqualTo(next.prefix());
        assertThat(rotated.last4()).isEqualTo(next.last4());
        assertThat(rotated.rotatedAt()).isEqualTo(rotatedAt);
        assertThat(rotated.previousValidUntil()).isEqualTo(rotatedAt.plus(Duration.ofHours(1)));
        assertThat(rotated.revokedAt()).isNull();
        assertThat(revoked.revokedAt()).isEqualTo(revokedAt);
        assertThat(revoked.revocationReason()).isEqualTo(RevocationReason.LEAKED);
        assertThat(revoked.created()).isEqualTo(t0);
    }

    @Test
    void eventsForAnUnknownKeyCreateNothing() {
        ApiKeyId ghost = ApiKeyId.generate();
        table.on(new ApiKeyRenamed(ghost, tenant, "a", "b"));
        table.on(new ApiKeyRevoked(ghost, tenant, RevocationReason.MANUAL), t0);
        table.on(new ApiKeyHidden(ghost, tenant));
        assertThat(database.getCollection("api_keys").countDocuments()).isZero();
    }

    // ---- scoping and filters ----

    @Test
    void findIsScopedToTheTenant() {
        ApiKeyCreated mine = add(tenant, Environment.PRODUCTION, "Mine", null, t0);
        ApiKeyCreated theirs = add(otherTenant, Environment.PRODUCTION, "Theirs", null, t0);

        assertThat(table.find(tenant, mine.keyId())).isPresent();
        assertThat(table.find(tenant, theirs.keyId())).isEmpty();
        assertThat(table.find(otherTenant, mine.keyId())).isEmpty();
        assertThat(table.find(tenant, ApiKeyId.generate())).isEmpty();
    }

    @Test
    void listIsScopedToTheTenantAndOrderedByCreation() {
        add(tenant, Environment.PRODUCTION, "Second", null, t0.plusSeconds(2));
        add(otherTenant, Environment.PRODUCTION, "Theirs", null, t0.plusSeconds(1));
        add(tenant, Environment.SANDBOX, "First", null, t0.plusSeconds(1));
        add(tenant, Environment.DEVELOPMENT, "Third", null, t0.plusSeconds(3));

        assertThat(names(table.list(tenant, null, 0, 50, false))).containsExactly("First", "Second", "Third");
        assertThat(names(table.list(otherTenant, null, 0, 50, false))).containsExactly("Theirs");
        assertThat(names(table.list(TenantId.generate(), null, 0, 50, false))).isEmpty();
    }

    @Test
    void listPagesWithOffsetAndLimit() {
        for (int i = 0; i < 5; i++) {
            add(tenant, Environment.PRODUCTION, "Key " + i, null, t0.plusSeconds(i));
        }
        assertThat(names(table.list(tenant, null, 0, 2, false))).containsExactly("Key 0", "Key 1");
        assertThat(names(table.list(tenant, null, 2, 2, false))).containsExactly("Key 2", "Key 3");
        assertThat(names(table.list(tenant, null, 4, 2, false))).containsExactly("Key 4");
    }

    @Test
    void hiddenKeysAreListedOnlyWhenAskedFor() {
        ApiKeyCreated hidden = add(tenant, Environment.PRODUCTION, "Hidden", null, t0);
        add(tenant, Environment.PRODUCTION, "Visible", null, t0.plusSeconds(1));
        table.on(new ApiKeyRevoked(hidden.keyId(), tenant, RevocationReason.MANUAL), t0.plusSeconds(5));
        table.on(new ApiKeyHidden(hidden.keyId(), tenant));

        assertThat(names(table.list(tenant, null, 0, 50, false))).containsExactly("Visible");
        assertThat(names(table.list(tenant, null, 0, 50, true))).containsExactly("Hidden", "Visible");
        assertThat(find(hidden).hidden()).isTrue();
        assertThat(table.find(tenant, hidden.keyId())).as("find still answers for a hidden key").isPresent();
    }

    @Test
    void listFiltersByEnvironment() {
        add(tenant, Environment.PRODUCTION, "Live", null, t0);
        add(tenant, Environment.DEVELOPMENT, "Dev", null, t0.plusSeconds(1));
        add(tenant, Environment.SANDBOX, "Test", null, t0.plusSeconds(2));
        add(otherTenant, Environment.DEVELOPMENT, "Their dev", null, t0.plusSeconds(3));

        assertThat(names(table.list(tenant, Environment.DEVELOPMENT, 0, 50, false))).containsExactly("Dev");
        assertThat(names(table.list(tenant, Environment.PRODUCTION, 0, 50, false))).containsExactly("Live");
        assertThat(names(table.list(tenant, Environment.SANDBOX, 0, 50, false))).containsExactly("Test");
        assertThat(names(table.list(tenant, null, 0, 50, false))).containsExactly("Live", "Dev", "Test");
    }

    // ---- the sweeper's query ----

    @Test
    void dueForExpiryListsKeysPastTheirExpiryThatAreNeitherRevokedNorRecorded() {
        Instant now = t0.plus(Duration.ofDays(10));
        ApiKeyCreated due = add(tenant, Environment.PRODUCTION, "Due", t0.plus(Duration.ofDays(1)), t0);
        ApiKeyCreated dueExactlyNow = add(otherTenant, Environment.PRODUCTION, "Due now", now, t0);
        add(tenant, Environment.PRODUCTION, "Later", now.plusMillis(1), t0);
        add(tenant, Environment.PRODUCTION, "Never", null, t0);
        ApiKeyCreated revoked = add(tenant, Environment.PRODUCTION, "Revoked", t0.plus(Duration.ofDays(1)), t0);
        table.on(new ApiKeyRevoked(revoked.keyId(), tenant, RevocationReason.MANUAL), t0.plusSeconds(1));
        ApiKeyCreated recorded = add(tenant, Environment.PRODUCTION, "Recorded", t0.plus(Duration.ofDays(1)), t0);
        table.on(new ApiKeyExpired(recorded.keyId(), tenant, recorded.expires()));

        assertThat(table.dueForExpiry(now, 100)).extracting(ApiKeyView::id)
                .containsExactlyInAnyOrder(due.keyId(), dueExactlyNow.keyId());
        assertThat(table.dueForExpiry(now, 1)).hasSize(1);
        assertThat(table.dueForExpiry(t0, 100)).isEmpty();
    }

    // ---- idempotency and reset ----

    @Test
    void everyHandlerIsIdempotent() {
        ApiKeyCreated event = add(tenant, Environment.PRODUCTION, "Billing", t0.plus(Duration.ofDays(1)), t0);
        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
        ApiKeyRotated rotated = new ApiKeyRotated(event.keyId(), tenant, next.hash(), next.prefix(), next.last4(),
                event.hash(), t0.plusSeconds(60));
        ApiKeyRevoked revoked = new ApiKeyRevoked(event.keyId(), tenant, RevocationReason.MANUAL);
        List<Runnable> handlers = List.of(
                () -> table.on(event, t0),
                () -> table.on(new ApiKeyRenamed(event.keyId(), tenant, "Billing", "Invoices")),
                () -> table.on(new ApiKeyIpAllowlistChanged(event.keyId(), tenant, List.of("10.0.0.0/8"), List.of())),
                () -> table.on(rotated, t0.plusSeconds(30)),
                () -> table.on(revoked, t0.plusSeconds(90)),
                () -> table.on(new ApiKeyExpired(event.keyId(), tenant, event.expires())),
                () -> table.on(new ApiKeyHidden(event.keyId(), tenant)));

        for (Runnable handler : handlers) {
            handler.run();
            ApiKeyView once = find(event);
            Document rowOnce = database.getCollection("api_keys").find().first();
            handler.run();
            assertThat(find(event)).isEqualTo(once);
            assertThat(database.getCollection("api_keys").find().first()).isEqualTo(rowOnce);
        }
        assertThat(database.getCollection("api_keys").countDocuments()).isEqualTo(1);

        // and a whole redelivered sequence ends in the same row
        ApiKeyView end = find(event);
        handlers.forEach(Runnable::run);
        assertThat(find(event)).isEqualTo(end);
    }

    @Test
    void aSpikeFlagsTheKeyUntilItSettlesAndRedeliveryChangesNothing() {
        ApiKeyCreated event = add(tenant, Environment.PRODUCTION, "Busy", null, t0);
        assertThat(find(event).spiking()).isFalse();
        ApiKeyUsageSpiked spiked = new ApiKeyUsageSpiked(event.keyId(), tenant, t0.plusSeconds(10), 900, 3, 10);
        table.on(spiked);
        assertThat(find(event).spiking()).isTrue();
        table.on(spiked);
        assertThat(find(event).spiking()).isTrue();
        ApiKeyUsageSettled settled = new ApiKeyUsageSettled(event.keyId(), tenant, t0.plusSeconds(70), 2);
        table.on(settled);
        table.on(settled);
        assertThat(find(event).spiking()).isFalse();
    }

    @Test
    void resetEmptiesTheTable() {
        add(tenant, Environment.PRODUCTION, "A", null, t0);
        add(otherTenant, Environment.PRODUCTION, "B", null, t0);

        table.reset();

        assertThat(database.getCollection("api_keys").countDocuments()).isZero();
        assertThat(table.list(tenant, null, 0, 50, true)).isEmpty();
        ApiKeyCreated again = add(tenant, Environment.PRODUCTION, "A again", null, t0);
        assertThat(table.find(tenant, again.keyId())).isPresent();
    }

    // ---- status(now) ----

    ApiKeyView view(Instant expires, Instant previousValidUntil, Instant revokedAt) {
        return new ApiKeyView(ApiKeyId.generate(), tenant, "K", Environment.PRODUCTION, null, List.of(), "ks_live_abcd",
                "wxyz", t0, expires, null, 0, previousValidUntil == null ? null : t0, previousValidUntil, revokedAt,
                revokedAt == null ? null : RevocationReason.MANUAL, false, false, false);
    }

    @Test
    void aKeyWithoutExpiryIsActive() {
        assertThat(view(null, null, null).status(t0.plus(Duration.ofDays(5000)))).isEqualTo(Status.ACTIVE);
    }

    @Test
    void aKeyIsExpiringWithinSevenDaysOfItsExpiry() {
        Instant expires = t0.plus(Duration.ofDays(30));
        ApiKeyView key = view(expires, null, null);
        assertThat(key.status(expires.minus(Duration.ofDays(8)))).isEqualTo(Status.ACTIVE);
        assertThat(key.status(expires.minus(Duration.ofDays(7)))).as("exactly 7 days before").isEqualTo(Status.ACTIVE);
        assertThat(key.status(expires.minus(Duration.ofDays(7)).plusMillis(1))).isEqualTo(Status.EXPIRING);
        assertThat(key.status(expires.minusMillis(1))).isEqualTo(Status.EXPIRING);
    }

    @Test
    void aKeyIsExpiredFromItsExpiryInstant() {
        Instant expires = t0.plus(Duration.ofDays(30));
        assertThat(view(expires, null, null).status(expires)).isEqualTo(Status.EXPIRED);
        assertThat(view(expires, null, null).status(expires.plus(Duration.ofDays(1)))).isEqualTo(Status.EXPIRED);
    }

    @Test
    void revokedWinsOverEverything() {
        Instant expires = t0.plus(Duration.ofDays(3));
        ApiKeyView key = view(expires, t0.plus(Duration.ofHours(1)), t0.plusSeconds(10));
        assertThat(key.status(t0.plusSeconds(20))).isEqualTo(Status.REVOKED);
        assertThat(key.status(expires.plusSeconds(1))).isEqualTo(Status.REVOKED);
    }

    @Test
    void aKeyIsRotatingDuringItsGracePeriodOnly() {
        Instant validUntil = t0.plus(Duration.ofHours(1));
        ApiKeyView key = view(t0.plus(Duration.ofDays(3)), validUntil, null);
        assertThat(key.status(t0)).isEqualTo(Status.ROTATING);
        assertThat(key.status(validUntil.minusMillis(1))).isEqualTo(Status.ROTATING);
        assertThat(key.status(validUntil)).as("then it is expiring: 3 days left").isEqualTo(Status.EXPIRING);
        assertThat(view(null, validUntil, null).status(validUntil)).isEqualTo(Status.ACTIVE);
        assertThat(view(validUntil.minusSeconds(1), validUntil, null).status(validUntil.minusSeconds(1)))
                .as("expired beats rotating").isEqualTo(Status.EXPIRED);
    }

    @Test
    void aRotationWithoutGraceIsNeverRotating() {
        ApiKeyCreated event = add(tenant, Environment.PRODUCTION, "Billing", null, t0);
        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
        Instant rotatedAt = t0.plusSeconds(60);
        table.on(new ApiKeyRotated(event.keyId(), tenant, next.hash(), next.prefix(), next.last4(), event.hash(),
                rotatedAt), rotatedAt);
        assertThat(find(event).status(rotatedAt)).isEqualTo(Status.ACTIVE);
    }

    @Test
    void statusesOfRowsReadBackFromTheTable() {
        ApiKeyCreated active = add(tenant, Environment.PRODUCTION, "Active", null, t0);
        ApiKeyCreated expiring = add(tenant, Environment.PRODUCTION, "Expiring", t0.plus(Duration.ofDays(6)), t0);
        ApiKeyCreated expired = add(tenant, Environment.PRODUCTION, "Expired", t0.minusSeconds(1), t0.minusSeconds(60));
        ApiKeyCreated revoked = add(tenant, Environment.PRODUCTION, "Revoked", null, t0);
        table.on(new ApiKeyRevoked(revoked.keyId(), tenant, RevocationReason.MANUAL), t0);
        ApiKeyCreated rotating = add(tenant, Environment.PRODUCTION, "Rotating", null, t0);
        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
        table.on(new ApiKeyRotated(rotating.keyId(), tenant, next.hash(), next.prefix(), next.last4(),
                rotating.hash(), t0.plus(Duration.ofHours(1))), t0);

        assertThat(find(active).status(t0)).isEqualTo(Status.ACTIVE);
        assertThat(find(expiring).status(t0)).isEqualTo(Status.EXPIRING);
        assertThat(find(expired).status(t0)).isEqualTo(Status.EXPIRED);
        assertThat(find(revoked).status(t0)).isEqualTo(Status.REVOKED);
        assertThat(find(rotating).status(t0)).isEqualTo(Status.ROTATING);
        assertThat(Status.EXPIRING.json()).isEqualTo("expiring");
        assertThat(Status.EXPIRING.label()).isEqualTo("Expiring soon");
    }

    /** As the processor calls the handlers: a batch of events in one unit of work, written when it commits. */
    @Test
    void aBatchIsWrittenAtCommitWithOneUsageWritePerKeyKeepingTheHighestValues() {
        ApiKeyCreated key = created(tenant, Environment.PRODUCTION, "Batch", null);
        ApiKeyId id = key.keyId();
        List<Object> events = List.of(key,
                new ApiKeyUsed(id, tenant, Map.of("2xx", 5L), 5, 5, t0, t0.plusSeconds(5), "203.0.113.1", List.of()),
                new ApiKeyRenamed(id, tenant, "Batch", "Batch v2"),
                // another node's usage batch, counted later but ending earlier
                new ApiKeyUsed(id, tenant, Map.of("2xx", 4L), 4, 9, t0, t0.plusSeconds(2), "203.0.113.2", List.of()));
        List<EventMessage<?>> messages = events.stream()
                .<EventMessage<?>>map(GenericEventMessage::asEventMessage)
                .toList();
        BatchingUnitOfWork<EventMessage<?>> batch =
                new BatchingUnitOfWork<>(messages);
        AtomicBoolean visibleBeforeCommit = new AtomicBoolean();
        var result = batch.executeWithResult(() -> {
            Object payload = batch.getMessage().getPayload();
            if (payload instanceof ApiKeyCreated created) {
                table.on(created, t0);
            } else if (payload instanceof ApiKeyUsed used) {
                table.on(used);
            } else if (payload instanceof ApiKeyRenamed renamed) {
                table.on(renamed);
            }
            visibleBeforeCommit.compareAndSet(false, table.find(tenant, id).isPresent());
            return null;
        }, RollbackConfigurationType.ANY_THROWABLE);

        assertThat(result.isExceptional()).isFalse();
        assertThat(visibleBeforeCommit).as("written only when the batch commits").isFalse();
        ApiKeyView view = table.find(tenant, id).orElseThrow();
        assertThat(view.name()).isEqualTo("Batch v2");
        assertThat(view.usageCount()).isEqualTo(9);
        assertThat(view.lastUsed()).isEqualTo(t0.plusSeconds(5));
    }
}
