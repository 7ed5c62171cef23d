package dev.keysmith.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The way in for API keys: create, rotate, edit, revoke, hide, list. Secrets are made here from
 * {@code SecureRandom}, returned once in an {@link IssuedKey}, and never stored: the aggregate gets the hash,
 * prefix and last four. Every call is scoped to a tenant; another tenant's key id is "not found". Each method
 * returns once the key table and the verification index of this node show the change.
 */
public interface ApiKeys {

    /** What a person asks for; validated by {@link #create}. */
    record NewKey(String name, String environment, Instant expires, List<String> ips, String brand) {
    }

    /** A key with its secret, for the one response that shows it. */
    record IssuedKey(ApiKeyView key, String secret) {
        @Override
        public String toString() {
            return "IssuedKey[" + key.id() + ", " + key.masked() + "]";
        }
    }

    IssuedKey create(TenantId tenantId, NewKey request);

    IssuedKey rotate(TenantId tenantId, ApiKeyId keyId, Duration gracePeriod);

    /** Changes the name and/or the IP allowlist (null = leave as is). */
    ApiKeyView update(TenantId tenantId, ApiKeyId keyId, String name, List<String> ips);

    void revoke(TenantId tenantId, ApiKeyId keyId, RevocationReason reason);

    /** "Remove from list": hides a revoked or expired key from the table; its history stays. */
    void hide(TenantId tenantId, ApiKeyId keyId);

    Optional<ApiKeyView> find(TenantId tenantId, ApiKeyId keyId);

    /**
     * The key's environment (it never changes), from the verification index, or the key's own history for a key the
     * index has not seen yet: what an environment-scoped caller is checked against before a command, MongoDB or not.
     */
    Environment environment(TenantId tenantId, ApiKeyId keyId);

    /** A page of the tenant's keys, oldest first (limit 1..64). */
    default List<ApiKeyView> list(TenantId tenantId, int offset, int limit, boolean includeHidden) {
        return list(tenantId, null, offset, limit, includeHidden);
    }

    /** A page of the tenant's keys of one environment (null = all), oldest first (limit 1..64). */
    List<ApiKeyView> list(TenantId tenantId, Environment environment, int offset, int limit, boolean includeHidden);

    /** A short-lived key for a team (the seed's temporary-key route), Sandbox in test mode. */
    IssuedKey createTemporary(long teamNumber, String subaccount, boolean testMode);

    /** Advice when a key name looks like a person's name or an email (keys belong to systems, not people). */
    Optional<String> nameHint(String name);
}
