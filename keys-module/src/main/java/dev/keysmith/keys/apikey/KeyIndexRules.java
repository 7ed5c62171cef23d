package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.IpAllowlist;
import dev.keysmith.keys.KeyIndex.TenantEntry;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyIpAllowlistChanged;
import dev.keysmith.keys.events.ApiKeyRenamed;
import dev.keysmith.keys.events.ApiKeyRevoked;
import dev.keysmith.keys.events.ApiKeyRotated;
import dev.keysmith.keys.events.PlanChanged;
import dev.keysmith.keys.events.TenantRegistered;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * How events change the verification index, whatever holds it: {@link InMemoryKeyIndex} (this node's memory,
 * read on every request) and {@link KeyIndexStore} (its copy in MongoDB, from which a starting node loads instead
 * of replaying the whole history). Every rule is idempotent: a redelivered event changes nothing.
 */
abstract class KeyIndexRules {

    abstract IndexedKey load(ApiKeyId keyId);

    abstract void store(IndexedKey key);

    abstract TenantEntry loadTenant(TenantId tenantId);

    abstract void storeTenant(TenantEntry tenant);

    @EventHandler
    void on(TenantRegistered event) {
        storeTenant(new TenantEntry(event.tenantId(), event.clientId(), event.teamNumber(), event.plan()));
    }

    @EventHandler
    void on(PlanChanged event) {
        TenantEntry tenant = loadTenant(event.tenantId());
        if (tenant != null) {
            storeTenant(new TenantEntry(tenant.tenantId(), tenant.clientId(), tenant.teamNumber(), event.to()));
        }
    }

    /** A redelivered creation is ignored: it must not bring back a secret that later events replaced. */
    @EventHandler
    void on(ApiKeyCreated event) {
        if (load(event.keyId()) != null) {
            return;
        }
        store(new IndexedKey(event.keyId(), event.tenantId(), event.name(), event.environment(), event.brand(),
                event.expires(), IpAllowlist.parse(event.ips()), null, event.temporary(),
                List.of(new IndexedKey.Secret(KeyHash.ofHex(event.hash()), null, null))));
    }

    @EventHandler
    void on(ApiKeyRenamed event) {
        update(event.keyId(), key -> key.withName(event.to()));
    }

    @EventHandler
    void on(ApiKeyIpAllowlistChanged event) {
        IpAllowlist ips = IpAllowlist.parse(event.to());
        update(event.keyId(), key -> key.withIps(ips));
    }

    @EventHandler
    void on(ApiKeyRevoked event, @Timestamp Instant at) {
        update(event.keyId(), key -> key.revoked(at));
    }

    /**
     * The previous secret works until the end of the grace period; secrets replaced earlier stop now. Replaced
     * secrets stay in the index so that they are refused as {@code key_rotated} rather than unknown.
     */
    @EventHandler
    void on(ApiKeyRotated event, @Timestamp Instant at) {
        KeyHash previous = KeyHash.ofHex(event.previousHash());
        KeyHash next = KeyHash.ofHex(event.hash());
        update(event.keyId(), key -> key.rotated(previous, next, at, event.previousValidUntil()));
    }

    private void update(ApiKeyId keyId, UnaryOperator<IndexedKey> change) {
        IndexedKey key = load(keyId);
        if (key != null) {
            IndexedKey changed = change.apply(key);
            if (changed != key) {
                store(changed);
            }
        }
    }
}
