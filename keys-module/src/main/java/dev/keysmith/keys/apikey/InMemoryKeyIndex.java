package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.IpAllowlist;
import dev.keysmith.keys.KeyIndex;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.VerifiedKey;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyIpAllowlistChanged;
import dev.keysmith.keys.events.ApiKeyRenamed;
import dev.keysmith.keys.events.ApiKeyRevoked;
import dev.keysmith.keys.events.ApiKeyRotated;
import dev.keysmith.keys.events.PlanChanged;
import dev.keysmith.keys.events.TenantRegistered;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The verification index, in this node's memory: every secret's hash (current and, during a rotation's grace
 * period, previous) to its key state. Fed by its own tracking processor, whose token is in memory too, so each
 * node rebuilds it from the event stream at start-up and follows it after; commands wait for it (read your
 * writes), so a revocation is effective on the handling node before the command returns.
 */
@Component
@ProcessingGroup(InMemoryKeyIndex.GROUP)
class InMemoryKeyIndex implements KeyIndex {

    static final String GROUP = "key-index";

    private final Map<String, VerifiedKey> byHash = new ConcurrentHashMap<>();
    private final Map<ApiKeyId, List<String>> hashesByKey = new ConcurrentHashMap<>();
    private final Map<TenantId, TenantEntry> tenants = new ConcurrentHashMap<>();
    private final Map<Long, TenantEntry> tenantsByTeam = new ConcurrentHashMap<>();
    private final Map<String, TenantEntry> tenantsByClientId = new ConcurrentHashMap<>();

    @Override
    public VerifiedKey find(String hash) {
        return byHash.get(hash);
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

    @EventHandler
    void on(TenantRegistered event) {
        putTenant(new TenantEntry(event.tenantId(), event.clientId(), event.teamNumber(), event.plan()));
    }

    @EventHandler
    void on(PlanChanged event) {
        TenantEntry tenant = tenants.get(event.tenantId());
        if (tenant != null) {
            putTenant(new TenantEntry(tenant.tenantId(), tenant.clientId(), tenant.teamNumber(), event.to()));
        }
    }

    /** A redelivered creation is ignored: it must not bring back a secret that later events replaced. */
    @EventHandler
    void on(ApiKeyCreated event) {
        if (hashesByKey.putIfAbsent(event.keyId(), List.of(event.hash())) != null) {
            return;
        }
        byHash.put(event.hash(), new VerifiedKey(event.keyId(), event.tenantId(), event.name(), event.environment(),
                event.brand(), event.expires(), IpAllowlist.parse(event.ips()), null, null, null, event.temporary()));
    }

    @EventHandler
    void on(ApiKeyRenamed event) {
        updateAll(event.keyId(), key -> key.withName(event.to()));
    }

    @EventHandler
    void on(ApiKeyIpAllowlistChanged event) {
        IpAllowlist ips = IpAllowlist.parse(event.to());
        updateAll(event.keyId(), key -> key.withIps(ips));
    }

    @EventHandler
    void on(ApiKeyRevoked event, @Timestamp Instant at) {
        updateAll(event.keyId(), key -> key.revoked(at));
    }

    /**
     * The previous secret works until the end of the grace period; secrets replaced earlier stop now. Replaced
     * secrets stay in the index so that they are refused as {@code key_rotated} rather than unknown.
     */
    @EventHandler
    void on(ApiKeyRotated event, @Timestamp Instant at) {
        VerifiedKey previous = byHash.get(event.previousHash());
        if (previous == null || byHash.containsKey(event.hash())) {
            return;
        }
        List<String> hashes = new ArrayList<>(hashesByKey.getOrDefault(event.keyId(), List.of()));
        for (String hash : hashes) {
            byHash.computeIfPresent(hash, (h, key) -> {
                if (h.equals(event.previousHash())) {
                    return key.replaced(at, event.previousValidUntil());
                }
                return key.validUntil() != null && key.validUntil().isAfter(at) ? key.replaced(key.replacedAt(), at) : key;
            });
        }
        byHash.put(event.hash(), previous.current());
        hashes.add(event.hash());
        hashesByKey.put(event.keyId(), List.copyOf(hashes));
    }

    @ResetHandler
    void reset() {
        byHash.clear();
        hashesByKey.clear();
        tenants.clear();
        tenantsByTeam.clear();
        tenantsByClientId.clear();
    }

    private void putTenant(TenantEntry tenant) {
        tenants.put(tenant.tenantId(), tenant);
        tenantsByTeam.put(tenant.teamNumber(), tenant);
        tenantsByClientId.put(tenant.clientId(), tenant);
    }

    private void updateAll(ApiKeyId keyId, UnaryOperator<VerifiedKey> change) {
        for (String hash : hashesByKey.getOrDefault(keyId, List.of())) {
            byHash.computeIfPresent(hash, (h, key) -> change.apply(key));
        }
    }
}
