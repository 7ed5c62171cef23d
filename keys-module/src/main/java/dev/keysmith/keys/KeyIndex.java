package dev.keysmith.keys;

/** The in-memory verification index: key hash to key state, and tenant to Client ID and plan. */
public interface KeyIndex {

    record TenantEntry(TenantId tenantId, String clientId, long teamNumber, Plan plan) {
    }

    /** The key state for a SHA-256 (hex) of a presented key, or null. */
    VerifiedKey find(String hash);

    /** The key state for a SHA-256 (32 bytes) of a presented key, or null: the hot path, no hex round trip. */
    VerifiedKey find(byte[] sha256);

    /** The key with this id as the index holds it (any of its secrets), or null when the index has not seen it. */
    VerifiedKey key(ApiKeyId keyId);

    TenantEntry tenant(TenantId tenantId);

    TenantEntry tenantByTeamNumber(long teamNumber);

    TenantEntry tenantByClientId(String clientId);

    int size();
}
