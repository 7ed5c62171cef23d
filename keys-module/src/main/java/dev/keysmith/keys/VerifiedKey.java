package dev.keysmith.keys;

import java.time.Instant;

/**
 * What the verification index knows about one secret of a key (a key has two during a rotation's grace period).
 *
 * @param replacedAt  when a rotation replaced this secret (null for the current one)
 * @param validUntil  until when a replaced secret still works
 */
public record VerifiedKey(ApiKeyId keyId, TenantId tenantId, String name, Environment environment, String brand,
                          Instant expires, IpAllowlist ips, Instant revokedAt, Instant replacedAt,
                          Instant validUntil, boolean temporary) {

    public VerifiedKey withName(String newName) {
        return new VerifiedKey(keyId, tenantId, newName, environment, brand, expires, ips, revokedAt, replacedAt,
                validUntil, temporary);
    }

    public VerifiedKey withIps(IpAllowlist newIps) {
        return new VerifiedKey(keyId, tenantId, name, environment, brand, expires, newIps, revokedAt, replacedAt,
                validUntil, temporary);
    }

    public VerifiedKey revoked(Instant at) {
        return new VerifiedKey(keyId, tenantId, name, environment, brand, expires, ips, at, replacedAt, validUntil,
                temporary);
    }

    public VerifiedKey replaced(Instant at, Instant until) {
        return new VerifiedKey(keyId, tenantId, name, environment, brand, expires, ips, revokedAt, at, until,
                temporary);
    }

    public VerifiedKey current() {
        return new VerifiedKey(keyId, tenantId, name, environment, brand, expires, ips, revokedAt, null, null,
                temporary);
    }
}
