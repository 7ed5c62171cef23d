package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeyIndex;
import dev.keysmith.keys.KeySecrets;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.RevocationReason;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.Verification;
import dev.keysmith.keys.Verification.Code;
import dev.keysmith.keys.VerifiedKey;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyIpAllowlistChanged;
import dev.keysmith.keys.events.ApiKeyRenamed;
import dev.keysmith.keys.events.ApiKeyRevoked;
import dev.keysmith.keys.events.ApiKeyRotated;
import dev.keysmith.keys.events.PlanChanged;
import dev.keysmith.keys.events.TenantRegistered;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verification index fed directly with events (its handlers are package-private), checked through
 * {@link Verification} as requests see it. Every check passes {@code now} explicitly.
 */
class InMemoryKeyIndexTests {

    static final String CLIENT_ID = "0123456789abcdef01234567";

    final InMemoryKeyIndex index = new InMemoryKeyIndex();
    final Verification verification = new Verification(index);
    final TenantId tenant = TenantId.generate();
    final ApiKeyId keyId = ApiKeyId.generate();
    final KeySecrets.NewSecret original = KeySecrets.generate(Environment.PRODUCTION);
    final Instant t0 = Instant.parse("2031-05-06T07:08:09Z");
    final ApiKeyCreated created = new ApiKeyCreated(keyId, tenant, "Billing sync", Environment.PRODUCTION, "Acme",
            List.of(), null, original.hash(), original.prefix(), original.last4(), false);

    InMemoryKeyIndexTests() {
        index.on(new TenantRegistered(tenant, "Acme", CLIENT_ID, 4242, Plan.PRO, MemberId.generate(),
                "owner@example.com"));
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    Verification.Result verify(KeySecrets.NewSecret secret, Instant now) {
        return verification.verifyKey(secret.plaintext(), null, ip("198.51.100.20"), true, now);
    }

    ApiKeyRotated rotation(KeySecrets.NewSecret from, KeySecrets.NewSecret to, Instant validUntil) {
        return new ApiKeyRotated(keyId, tenant, to.hash(), to.prefix(), to.last4(), from.hash(), validUntil);
    }

    /** Everything the index holds for a secret, comparable by value (IpAllowlist has no equals). */
    static List<Object> snapshot(VerifiedKey key) {
        if (key == null) {
            return null;
        }
        return java.util.Arrays.asList(key.keyId(), key.tenantId(), key.name(), key.environment(), key.brand(),
                key.expires(), key.ips().entries(), key.revokedAt(), key.replacedAt(), key.validUntil(),
                key.temporary());
    }

    List<List<Object>> snapshot(KeySecrets.NewSecret... secrets) {
        List<List<Object>> all = new ArrayList<>();
        for (KeySecrets.NewSecret secret : secrets) {
            all.add(snapshot(index.find(secret.hash())));
        }
        return all;
    }

    @Test
    void aKeyIsFoundByItsIdBeforeAndAfterARotationAndUnknownIdsAreNull() {
        assertThat(index.key(keyId)).isNull();
        index.on(created);
        assertThat(index.key(keyId).environment()).isEqualTo(Environment.PRODUCTION);
        assertThat(index.key(keyId).tenantId()).isEqualTo(tenant);
        index.on(rotation(original, KeySecrets.generate(Environment.PRODUCTION), t0), t0);
        assertThat(index.key(keyId).keyId()).isEqualTo(keyId);
        assertThat(index.key(ApiKeyId.generate())).isNull();
    }

    @Test
    void aCreatedKeyVerifiesWithItsTenantAndState() {
        index.on(created);

        Verification.Result result = verify(original, t0);

        assertThat(result.code()).isEqualTo(Code.OK);
        assertThat(result.key().keyId()).isEqualTo(keyId);
        assertThat(result.key().name()).isEqualTo("Billing sync");
        assertThat(result.key().environment()).isEqualTo(Environment.PRODUCTION);
        assertThat(result.key().brand()).isEqualTo("Acme");
        assertThat(result.tenant()).isEqualTo(new KeyIndex.TenantEntry(tenant, CLIENT_ID, 4242, Plan.PRO));
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.tenantByTeamNumber(4242)).isEqualTo(result.tenant());
    }

    @Test
    void anUnknownKeyAndAKeyWhoseTenantIsUnknownAreBothUnknown() {
        assertThat(verify(original, t0).code()).isEqualTo(Code.UNKNOWN_KEY);

        KeySecrets.NewSecret orphan = KeySecrets.generate(Environment.PRODUCTION);
        index.on(new ApiKeyCreated(ApiKeyId.generate(), TenantId.generate(), "Orphan", Environment.PRODUCTION, null,
                List.of(), null, orphan.hash(), orphan.prefix(), orphan.last4(), false));
        assertThat(verify(orphan, t0).code()).isEqualTo(Code.UNKNOWN_KEY);
    }

    @Test
    void aRenameShowsTheNewName() {
        index.on(created);
        index.on(new ApiKeyRenamed(keyId, tenant, "Billing sync", "Nightly export"));

        assertThat(verify(original, t0).key().name()).isEqualTo("Nightly export");
    }

    @Test
    void aRenameDuringAGracePeriodRenamesBothSecrets() {
        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
        index.on(created);
        index.on(rotation(original, next, t0.plus(Duration.ofHours(1))), t0);
        index.on(new ApiKeyRenamed(keyId, tenant, "Billing sync", "Nightly export"));

        assertThat(verify(original, t0.plusSeconds(60)).key().name()).isEqualTo("Nightly export");
        assertThat(verify(next, t0.plusSeconds(60)).key().name()).isEqualTo("Nightly export");
    }

    @Test
    void anAllowlistChangeApplies() {
        index.on(created);
        InetAddress outside = ip("192.0.2.55");
        assertThat(verification.verifyKey(original.plaintext(), null, outside, true, t0).code()).isEqualTo(Code.OK);

        index.on(new ApiKeyIpAllowlistChanged(keyId, tenant, List.of(), List.of("10.0.0.0/8", "2001:db8::/32")));

        Verification.Result refused = verification.verifyKey(original.plaintext(), null, outside, true, t0);
        assertThat(refused.code()).isEqualTo(Code.IP_NOT_ALLOWED);
        assertThat(refused.facts()).containsEntry("clientIp", "192.0.2.55");
        assertThat(verification.verifyKey(original.plaintext(), null, ip("10.20.30.40"), true, t0).code())
                .isEqualTo(Code.OK);
        assertThat(verification.verifyKey(original.plaintext(), null, ip("2001:db8::7"), true, t0).code())
                .isEqualTo(Code.OK);
        assertThat(verification.verifyKey(original.plaintext(), null, outside, false, t0).code())
                .as("without the IP check (a tenant's service verifying a key)").isEqualTo(Code.OK);

        index.on(new ApiKeyIpAllowlistChanged(keyId, tenant, List.of("10.0.0.0/8", "2001:db8::/32"), List.of()));
        assertThat(verification.verifyKey(original.plaintext(), null, outside, true, t0).code()).isEqualTo(Code.OK);
    }

    @Test
    void aCreatedKeyWithAnAllowlistIsRestrictedFromTheStart() {
        index.on(new ApiKeyCreated(keyId, tenant, "Restricted", Environment.PRODUCTION, null, List.of("203.0.113.7"),
                null, original.hash(), original.prefix(), original.last4(), false));

        assertThat(verification.verifyKey(original.plaintext(), null, ip("203.0.113.7"), true, t0).code())
                .isEqualTo(Code.OK);
        assertThat(verification.verifyKey(original.plaintext(), null, ip("203.0.113.8"), true, t0).code())
                .isEqualTo(Code.IP_NOT_ALLOWED);
    }

    @Test
    void revocationRefusesTheCurrentAndThePreviousSecret() {
        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
        index.on(created);
        index.on(rotation(original, next, t0.plus(Duration.ofHours(1))), t0);
        Instant revokedAt = t0.plusSeconds(120);

        index.on(new ApiKeyRevoked(keyId, tenant, RevocationReason.LEAKED), revokedAt);

        for (KeySecrets.NewSecret secret : List.of(original, next)) {
            Verification.Result result = verify(secret, revokedAt.plusSeconds(1));
            assertThat(result.code()).isEqualTo(Code.KEY_REVOKED);
            assertThat(result.facts()).isEqualTo(Map.of("revokedAt", revokedAt));
            assertThat(result.key().keyId()).as("a refusal names the key, for its tenant's log").isEqualTo(keyId);
        }
    }

    @Test
    void rotationWithoutGraceStopsTheOldSecretAtOnce() {
        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
        index.on(created);
        Instant rotatedAt = t0.plusSeconds(30);

        index.on(rotation(original, next, rotatedAt), rotatedAt);

        Verification.Result old = verify(original, rotatedAt);
        assertThat(old.code()).isEqualTo(Code.KEY_ROTATED);
        assertThat(old.facts()).isEqualTo(Map.of("rotatedAt", rotatedAt));
        assertThat(verify(next, rotatedAt).code()).isEqualTo(Code.OK);
        assertThat(verify(next, rotatedAt).key().keyId()).isEqualTo(keyId);
        assertThat(index.size()).as("the replaced secret stays known, to say key_rotated").isEqualTo(2);
    }

    @Test
    void rotationWithGraceKeepsTheOldSecretUntilValidUntil() {
        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
        index.on(created);
        Instant validUntil = t0.plus(Duration.ofHours(1));

        index.on(rotation(original, next, validUntil), t0);

        assertThat(verify(original, t0).code()).isEqualTo(Code.OK);
        assertThat(verify(original, validUntil.minusMillis(1)).code()).isEqualTo(Code.OK);
        Verification.Result atEnd = verify(original, validUntil);
        assertThat(atEnd.code()).isEqualTo(Code.KEY_ROTATED);
        assertThat(atEnd.facts()).isEqualTo(Map.of("rotatedAt", t0));
        assertThat(verify(original, validUntil.plus(Duration.ofDays(1))).code()).isEqualTo(Code.KEY_ROTATED);
        assertThat(verify(next, t0).code()).isEqualTo(Code.OK);
        assertThat(verify(next, validUntil.plus(Duration.ofDays(1))).code()).isEqualTo(Code.OK);
    }

    @Test
    void aSecondRotationStopsTheFirstReplacedSecretAtOnce() {
        KeySecrets.NewSecret second = KeySecrets.generate(Environment.PRODUCTION);
        KeySecrets.NewSecret third = KeySecrets.generate(Environment.PRODUCTION);
        index.on(created);
        index.on(rotation(original, second, t0.plus(Duration.ofHours(1))), t0);
        Instant t1 = t0.plus(Duration.ofMinutes(10));

        index.on(rotation(second, third, t1.plus(Duration.ofHours(1))), t1);

        Verification.Result first = verify(original, t1);
        assertThat(first.code()).as("its grace would have lasted until t0+1h").isEqualTo(Code.KEY_ROTATED);
        assertThat(first.facts()).isEqualTo(Map.of("rotatedAt", t0));
        assertThat(verify(original, t1.minusMillis(1)).code()).isEqualTo(Code.OK);
        assertThat(verify(second, t1.plus(Duration.ofMinutes(59))).code()).isEqualTo(Code.OK);
        Verification.Result secondAfterGrace = verify(second, t1.plus(Duration.ofHours(1)));
        assertThat(secondAfterGrace.code()).isEqualTo(Code.KEY_ROTATED);
        assertThat(secondAfterGrace.facts()).isEqualTo(Map.of("rotatedAt", t1));
        assertThat(verify(third, t1.plus(Duration.ofDays(30))).code()).isEqualTo(Code.OK);
    }

    @Test
    void aKeyExpiresFromItsExpiryInstant() {
        Instant expires = t0.plus(Duration.ofDays(1));
        index.on(new ApiKeyCreated(keyId, tenant, "Short", Environment.SANDBOX, null, List.of(), expires,
                original.hash(), original.prefix(), original.last4(), false));

        assertThat(verify(original, expires.minusMillis(1)).code()).isEqualTo(Code.OK);
        Verification.Result atExpiry = verify(original, expires);
        assertThat(atExpiry.code()).isEqualTo(Code.KEY_EXPIRED);
        assertThat(atExpiry.facts()).isEqualTo(Map.of("expiredAt", expires));
        assertThat(verify(original, expires.plus(Duration.ofDays(1))).code()).isEqualTo(Code.KEY_EXPIRED);
    }

    @Test
    void theNewSecretOfARotatedKeyKeepsTheKeysExpiry() {
        Instant expires = t0.plus(Duration.ofDays(1));
        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
        index.on(new ApiKeyCreated(keyId, tenant, "Short", Environment.PRODUCTION, null, List.of(), expires,
                original.hash(), original.prefix(), original.last4(), false));
        index.on(rotation(original, next, t0), t0);

        assertThat(verify(next, expires).code()).isEqualTo(Code.KEY_EXPIRED);
    }

    @Test
    void theClientIdMustBeTheKeysWorkspaces() {
        index.on(created);
        InetAddress caller = ip("198.51.100.20");

        assertThat(verification.verifyKey(original.plaintext(), "ffffffffffffffffffffffff", caller, true, t0).code())
                .isEqualTo(Code.CLIENT_ID_MISMATCH);
        assertThat(verification.verifyKey(original.plaintext(), CLIENT_ID, caller, true, t0).code())
                .isEqualTo(Code.OK);
        assertThat(verification.verifyKey(original.plaintext(), "  " + CLIENT_ID + " ", caller, true, t0).code())
                .isEqualTo(Code.OK);
        assertThat(verification.verifyKey(original.plaintext(), null, caller, true, t0).code()).isEqualTo(Code.OK);
    }

    @Test
    void anotherWorkspacesClientIdIsAMismatch() {
        TenantId otherTenant = TenantId.generate();
        index.on(new TenantRegistered(otherTenant, "Other", "abcdefabcdefabcdefabcdef", 77, Plan.PRO,
                MemberId.generate(), "o@example.com"));
        index.on(created);

        assertThat(verification.verifyKey(original.plaintext(), "abcdefabcdefabcdefabcdef", ip("198.51.100.20"), true,
                t0).code()).isEqualTo(Code.CLIENT_ID_MISMATCH);
    }

    @Test
    void aDowngradeToFreeRequiresAnUpgradeAndAnUpgradeRestoresAccess() {
        index.on(created);

        index.on(new PlanChanged(tenant, Plan.PRO, Plan.FREE));
        assertThat(verify(original, t0).code()).isEqualTo(Code.PLAN_UPGRADE_REQUIRED);
        assertThat(index.tenant(tenant).plan()).isEqualTo(Plan.FREE);
        assertThat(index.tenantByTeamNumber(4242).plan()).isEqualTo(Plan.FREE);

        index.on(new PlanChanged(tenant, Plan.FREE, Plan.ENTERPRISE));
        assertThat(verify(original, t0).code()).isEqualTo(Code.OK);
    }

    @Test
    void aPlanChangeOfAnUnknownTenantIsIgnored() {
        TenantId unknown = TenantId.generate();
        index.on(new PlanChanged(unknown, Plan.FREE, Plan.PRO));
        assertThat(index.tenant(unknown)).isNull();
    }

    @Test
    void resetEmptiesEverything() {
        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
        index.on(created);
        index.on(rotation(original, next, t0.plus(Duration.ofHours(1))), t0);

        index.reset();

        assertThat(index.size()).isZero();
        assertThat(index.find(original.hash())).isNull();
        assertThat(index.find(next.hash())).isNull();
        assertThat(index.tenant(tenant)).isNull();
        assertThat(index.tenantByTeamNumber(4242)).isNull();
        assertThat(verify(next, t0).code()).isEqualTo(Code.UNKNOWN_KEY);

        // and it fills again from the stream, as after a replay
        index.on(new TenantRegistered(tenant, "Acme", CLIENT_ID, 4242, Plan.PRO, MemberId.generate(), "o@example.com"));
        index.on(created);
        assertThat(verify(original, t0).code()).isEqualTo(Code.OK);
    }

    @Test
    void handlingTheSameEventTwiceInARowChangesNothing() {
        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
        Instant revokedAt = t0.plusSeconds(90);

        index.on(created);
        List<List<Object>> once = snapshot(original);
        index.on(created);
        assertThat(snapshot(original)).isEqualTo(once);

        index.on(new ApiKeyRenamed(keyId, tenant, "Billing sync", "Renamed"));
        once = snapshot(original);
        index.on(new ApiKeyRenamed(keyId, tenant, "Billing sync", "Renamed"));
        assertThat(snapshot(original)).isEqualTo(once);

        index.on(new ApiKeyIpAllowlistChanged(keyId, tenant, List.of(), List.of("10.0.0.0/8")));
        once = snapshot(original);
        index.on(new ApiKeyIpAllowlistChanged(keyId, tenant, List.of(), List.of("10.0.0.0/8")));
        assertThat(snapshot(original)).isEqualTo(once);

        ApiKeyRotated rotated = rotation(original, next, t0.plus(Duration.ofHours(1)));
        index.on(rotated, t0);
        once = snapshot(original, next);
        index.on(rotated, t0);
        assertThat(snapshot(original, next)).isEqualTo(once);
        assertThat(index.size()).isEqualTo(2);

        index.on(new ApiKeyRevoked(keyId, tenant, RevocationReason.MANUAL), revokedAt);
        once = snapshot(original, next);
        index.on(new ApiKeyRevoked(keyId, tenant, RevocationReason.MANUAL), revokedAt);
        assertThat(snapshot(original, next)).isEqualTo(once);

        TenantRegistered registered = new TenantRegistered(tenant, "Acme", CLIENT_ID, 4242, Plan.PRO,
                MemberId.generate(), "owner@example.com");
        index.on(registered);
        index.on(new PlanChanged(tenant, Plan.PRO, Plan.ENTERPRISE));
        KeyIndex.TenantEntry entry = index.tenant(tenant);
        index.on(new PlanChanged(tenant, Plan.PRO, Plan.ENTERPRISE));
        assertThat(index.tenant(tenant)).isEqualTo(entry);
    }

    /**
     * At-least-once delivery: when a batch is handled again (a processor error after part of it was applied: the
     * maps here are not rolled back), its events reach the index a second time, in order. The outcome must be the
     * same as handling them once.
     */
    @Test
    void aRedeliveredCreationAndRotationDoNotBringTheOldSecretBack() {
        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
        Instant rotatedAt = t0.plusSeconds(30);
        index.on(created);
        index.on(rotation(original, next, rotatedAt), rotatedAt);
        List<List<Object>> once = snapshot(original, next);

        index.on(created);
        index.on(rotation(original, next, rotatedAt), rotatedAt);

        assertThat(verify(original, rotatedAt.plusSeconds(1)).code()).isEqualTo(Code.KEY_ROTATED);
        assertThat(snapshot(original, next)).isEqualTo(once);
    }

    /** The same defect where it hurts most: a revocation handled after such a redelivery misses the current secret. */
    @Test
    void aRevocationAfterARedeliveredBatchRevokesTheCurrentSecret() {
        KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);
        Instant rotatedAt = t0.plusSeconds(30);
        Instant revokedAt = t0.plusSeconds(90);
        // first attempt of the batch [created, rotated, revoked] stops before the revocation...
        index.on(created);
        index.on(rotation(original, next, rotatedAt), rotatedAt);
        // ...and the batch is handled again from its start
        index.on(created);
        index.on(rotation(original, next, rotatedAt), rotatedAt);
        index.on(new ApiKeyRevoked(keyId, tenant, RevocationReason.LEAKED), revokedAt);

        assertThat(verify(next, revokedAt.plusSeconds(1)).code()).isEqualTo(Code.KEY_REVOKED);
        assertThat(verify(original, revokedAt.plusSeconds(1)).code()).isEqualTo(Code.KEY_REVOKED);
    }
}
