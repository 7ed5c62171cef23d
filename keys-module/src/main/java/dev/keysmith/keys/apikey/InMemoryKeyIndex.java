package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.KeyIndex;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.VerifiedKey;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The verification index, in this node's memory: every secret's hash (current and, during a rotation's grace
 * period, previous) to its key state. Fed by its own tracking processor, whose token is in memory: at start-up the
 * node loads the index from its stored copy ({@link KeyIndexStore}) and follows the event stream from the copy's
 * position, or replays the stream from its start when there is no copy. Commands wait for it (read your writes),
 * so a revocation is effective on the handling node before the command returns.
 * <p>
 * Compact, for a million keys: hashes are four longs ({@link KeyHash}), and the keys of a tenant share its id.
 */
@Component
@ProcessingGroup(InMemoryKeyIndex.GROUP)
class InMemoryKeyIndex extends KeyIndexRules implements KeyIndex {

    static final String GROUP = "key-index";

    private final Map<KeyHash, VerifiedKey> byHash = new ConcurrentHashMap<>();
    private final Map<ApiKeyId, List<KeyHash>> hashesByKey = new ConcurrentHashMap<>();
    private final Map<TenantId, TenantEntry> tenants = new ConcurrentHashMap<>();
    private final Map<Long, TenantEntry> tenantsByTeam = new ConcurrentHashMap<>();
    private final Map<String, TenantEntry> tenantsByClientId = new ConcurrentHashMap<>();

    @Override
    public VerifiedKey find(String hash) {
        return byHash.get(KeyHash.ofHex(hash));
    }

    @Override
    public VerifiedKey find(byte[] sha256) {
        return byHash.get(KeyHash.of(sha256));
    }

    @Override
    public VerifiedKey key(ApiKeyId keyId) {
        List<KeyHash> hashes = hashesByKey.get(keyId);
        return hashes == null || hashes.isEmpty() ? null : byHash.get(hashes.get(0));
    }

    @Override
    public TenantEntry tenant(TenantId tenantId) {
        return tenants.get(tenantId);
    }

    @Override
    public TenantEntry tenantByTeamNumber(long teamNumber) {
        return tenantsByTeam.get(teamNumber);
    }

    @Override
    public TenantEntry tenantByClientId(String clientId) {
        return clientId == null ? null : tenantsByClientId.get(clientId);
    }

    @Override
    public int size() {
        return byHash.size();
    }

    @Override
    IndexedKey load(ApiKeyId keyId) {
        List<KeyHash> hashes = hashesByKey.get(keyId);
        if (hashes == null) {
            return null;
        }
        VerifiedKey any = byHash.get(hashes.get(0));
        List<IndexedKey.Secret> secrets = new ArrayList<>(hashes.size());
        for (KeyHash hash : hashes) {
            VerifiedKey key = byHash.get(hash);
            secrets.add(new IndexedKey.Secret(hash, key.replacedAt(), key.validUntil()));
        }
        return new IndexedKey(any.keyId(), any.tenantId(), any.name(), any.environment(), any.brand(), any.expires(),
                any.ips(), any.revokedAt(), any.temporary(), secrets);
    }

    /** Existing secrets are updated before a new one appears, so no request sees a half-applied rotation as valid. */
    @Override
    void store(IndexedKey key) {
        TenantEntry tenant = tenants.get(key.tenantId());
        IndexedKey shared = tenant == null ? key : key.withTenant(tenant.tenantId());
        List<KeyHash> hashes = new ArrayList<>(shared.secrets().size());
        for (IndexedKey.Secret secret : shared.secrets()) {
            byHash.put(secret.hash(), shared.verified(secret));
            hashes.add(secret.hash());
        }
        hashesByKey.put(shared.keyId(), List.copyOf(hashes));
    }

    @Override
    TenantEntry loadTenant(TenantId tenantId) {
        return tenants.get(tenantId);
    }

    @Override
    void storeTenant(TenantEntry tenant) {
        tenants.put(tenant.tenantId(), tenant);
        tenantsByTeam.put(tenant.teamNumber(), tenant);
        tenantsByClientId.put(tenant.clientId(), tenant);
    }

    @ResetHandler
    void reset() {
        byHash.clear();
        hashesByKey.clear();
        tenants.clear();
        tenantsByTeam.clear();
        tenantsByClientId.clear();
    }
}
