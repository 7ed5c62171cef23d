package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.IpAllowlist;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.VerifiedKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the verification index knows of one key: its state and its secrets (one, or more after rotations: the
 * replaced ones stay, to be refused as {@code key_rotated}). The transitions are the index's rules, shared by the
 * in-memory index and its stored copy, so both fold the same events to the same state.
 */
record IndexedKey(ApiKeyId keyId, TenantId tenantId, String name, Environment environment, String brand,
                  Instant expires, IpAllowlist ips, Instant revokedAt, boolean temporary, List<Secret> secrets) {

    /** A secret: current when {@code replacedAt} is null, else working until {@code validUntil}. */
    record Secret(KeyHash hash, Instant replacedAt, Instant validUntil) {
    }

    IndexedKey {
        secrets = List.copyOf(secrets);
    }

    IndexedKey withName(String newName) {
        return new IndexedKey(keyId, tenantId, newName, environment, brand, expires, ips, revokedAt, temporary, secrets);
    }

    IndexedKey withIps(IpAllowlist newIps) {
        return new IndexedKey(keyId, tenantId, name, environment, brand, expires, newIps, revokedAt, temporary, secrets);
    }

    IndexedKey withTenant(TenantId sameTenant) {
        return new IndexedKey(keyId, sameTenant, name, environment, brand, expires, ips, revokedAt, temporary, secrets);
    }

    IndexedKey revoked(Instant at) {
        return new IndexedKey(keyId, tenantId, name, environment, brand, expires, ips, at, temporary, secrets);
    }

    /**
     * The previous secret works until {@code previousValidUntil}; secrets replaced earlier stop at {@code at}.
     * Unchanged when the previous secret is not this key's or the new one is known already (a redelivery).
     */
    IndexedKey rotated(KeyHash previous, KeyHash next, Instant at, Instant previousValidUntil) {
        boolean hasPrevious = secrets.stream().anyMatch(secret -> secret.hash().equals(previous));
        boolean hasNext = secrets.stream().anyMatch(secret -> secret.hash().equals(next));
        if (!hasPrevious || hasNext) {
            return this;
        }
        List<Secret> changed = new ArrayList<>(secrets.size() + 1);
        for (Secret secret : secrets) {
            if (secret.hash().equals(previous)) {
                changed.add(new Secret(secret.hash(), at, previousValidUntil));
            } else if (secret.validUntil() != null && secret.validUntil().isAfter(at)) {
                changed.add(new Secret(secret.hash(), secret.replacedAt(), at));
            } else {
                changed.add(secret);
            }
        }
        changed.add(new Secret(next, null, null));
        return new IndexedKey(keyId, tenantId, name, environment, brand, expires, ips, revokedAt, temporary, changed);
    }

    VerifiedKey verified(Secret secret) {
        return new VerifiedKey(keyId, tenantId, name, environment, brand, expires, ips, revokedAt,
                secret.replacedAt(), secret.validUntil(), temporary);
    }
}
