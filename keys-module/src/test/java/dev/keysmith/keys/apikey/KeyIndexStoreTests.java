package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.EmbeddedMongo;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeySecrets;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.RevocationReason;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyIpAllowlistChanged;
import dev.keysmith.keys.events.ApiKeyRenamed;
import dev.keysmith.keys.events.ApiKeyRevoked;
import dev.keysmith.keys.events.ApiKeyRotated;
import dev.keysmith.keys.events.PlanChanged;
import dev.keysmith.keys.events.TenantRegistered;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored copy of the verification index folds events exactly as the in-memory index does: random histories
 * (creations, renames, allowlist changes, rotations with and without grace, revocations, plan changes, and
 * redeliveries of each) are applied to both, then a fresh index is loaded from the copy and must hold the same
 * state for every secret and tenant.
 */
class KeyIndexStoreTests {

    static EmbeddedMongo mongo;

    @BeforeAll
    static void startMongo() {
        mongo = new EmbeddedMongo();
    }

    @AfterAll
    static void stopMongo() {
        mongo.close();
    }

    @Test
    void aFreshIndexLoadedFromTheCopyEqualsTheLiveIndexAfterRandomHistories() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            InMemoryKeyIndex live = new InMemoryKeyIndex();
            KeyIndexStore store = new KeyIndexStore(mongo.freshDatabase());
            List<String> hashes = new ArrayList<>();
            List<TenantId> tenantIds = new ArrayList<>();
            Consumer<Consumer<KeyIndexRules>> both = change -> {
                change.accept(live);
                change.accept(store);
                if (random.nextInt(4) == 0) { // a redelivery
                    change.accept(live);
                    change.accept(store);
                }
            };
            history(random, both, hashes, tenantIds);

            GapAwareTrackingToken position = GapAwareTrackingToken.newInstance(1000, List.of(990L, 995L));
            store.savePosition(position);
            InMemoryKeyIndex loaded = new InMemoryKeyIndex();
            assertThat(store.loadInto(loaded)).isEqualTo(position);

            assertThat(loaded.size()).as("seed %d", seed).isEqualTo(live.size());
            for (String hash : hashes) {
                assertThat(InMemoryKeyIndexTests.snapshot(loaded.find(hash)))
                        .as("seed %d, secret %s", seed, hash)
                        .isEqualTo(InMemoryKeyIndexTests.snapshot(live.find(hash)));
            }
            for (TenantId tenant : tenantIds) {
                assertThat(loaded.tenant(tenant)).isEqualTo(live.tenant(tenant));
            }
        }
    }

    @Test
    void withoutAStoredPositionNothingIsLoaded() {
        KeyIndexStore store = new KeyIndexStore(mongo.freshDatabase());
        store.on(new TenantRegistered(TenantId.generate(), "Acme", "0123456789abcdef01234567", 1, Plan.PRO,
                MemberId.generate(), "o@example.com"));
        InMemoryKeyIndex index = new InMemoryKeyIndex();

        assertThat(store.loadInto(index)).as("handled outside a processor: no position was stored").isNull();
        assertThat(index.tenantByTeamNumber(1)).isNull();
    }

    private static void history(Random random, Consumer<Consumer<KeyIndexRules>> both, List<String> hashes,
                                List<TenantId> tenantIds) {
        Instant now = Instant.parse("2031-01-01T00:00:00.123456789Z");
        List<TenantId> tenants = new ArrayList<>();
        List<ApiKeyId> keys = new ArrayList<>();
        List<TenantId> keyTenants = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (int step = 0; step < 60; step++) {
            now = now.plus(Duration.ofSeconds(1 + random.nextInt(600))).plusNanos(random.nextInt(1000));
            Instant at = now;
            int choice = tenants.isEmpty() ? 0 : keys.isEmpty() ? 1 : random.nextInt(8);
            if (choice == 0) {
                TenantId tenant = TenantId.generate();
                tenants.add(tenant);
                tenantIds.add(tenant);
                TenantRegistered registered = new TenantRegistered(tenant, "T" + step, String.format("%024d", step),
                        100 + step, Plan.PRO, MemberId.generate(), "o" + step + "@example.com");
                both.accept(rules -> rules.on(registered));
            } else if (choice == 1 || choice == 2) {
                TenantId tenant = tenants.get(random.nextInt(tenants.size()));
                KeySecrets.NewSecret secret = KeySecrets.generate(Environment.PRODUCTION);
                ApiKeyId keyId = ApiKeyId.generate();
                keys.add(keyId);
                keyTenants.add(tenant);
                current.add(secret.hash());
                hashes.add(secret.hash());
                ApiKeyCreated created = new ApiKeyCreated(keyId, tenant, "Key " + step, Environment.PRODUCTION,
                        random.nextBoolean() ? "Acme" : null, random.nextBoolean() ? List.of("10.0.0.0/8") : List.of(),
                        random.nextBoolean() ? at.plus(Duration.ofDays(3)) : null, secret.hash(), secret.prefix(),
                        secret.last4(), random.nextBoolean());
                both.accept(rules -> rules.on(created));
            } else {
                int k = random.nextInt(keys.size());
                ApiKeyId keyId = keys.get(k);
                TenantId tenant = keyTenants.get(k);
                List<String> ips = random.nextBoolean() ? List.of("192.0.2.0/24", "2001:db8::/32") : List.of();
                Plan plan = random.nextBoolean() ? Plan.FREE : Plan.ENTERPRISE;
                switch (choice) {
                    case 3 -> both.accept(rules -> rules.on(new ApiKeyRenamed(keyId, tenant, "a", "Renamed " + at)));
                    case 4 -> both.accept(rules -> rules.on(new ApiKeyIpAllowlistChanged(keyId, tenant, List.of(), ips)));
                    case 5, 6 -> {
                        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
                        String previous = current.set(k, next.hash());
                        hashes.add(next.hash());
                        Instant validUntil = random.nextBoolean() ? at : at.plus(Duration.ofMinutes(random.nextInt(90)));
                        ApiKeyRotated rotated = new ApiKeyRotated(keyId, tenant, next.hash(), next.prefix(), next.last4(),
                                previous, validUntil);
                        both.accept(rules -> rules.on(rotated, at));
                    }
                    default -> both.accept(rules -> {
                        rules.on(new ApiKeyRevoked(keyId, tenant, RevocationReason.MANUAL), at);
                        rules.on(new PlanChanged(tenant, Plan.PRO, plan));
                    });
                }
            }
        }
    }
}
