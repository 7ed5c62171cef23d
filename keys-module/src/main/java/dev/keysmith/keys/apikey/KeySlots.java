package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.PlanLimits;
import dev.keysmith.keys.TenantId;
import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * The active-key limit as a real invariant. Slots live in the relational store beside the events and are taken
 * and released inside the command's own transaction; taking one first locks the tenant's row in
 * {@code key_slot_locks}, so concurrent creates for one tenant are serialised on every node and database.
 * A slot counts while its key is neither revoked nor past its expiry.
 */
@Component
class KeySlots {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate separateTransaction;
    private final PlanLimits limits;

    KeySlots(JdbcTemplate jdbc, PlatformTransactionManager transactions, PlanLimits limits) {
        this.jdbc = jdbc;
        this.separateTransaction = new TransactionTemplate(transactions);
        this.separateTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.limits = limits;
    }

    /**
     * {@code plan} is the one the command's sender read from the tenant's events, outside this transaction: reading
     * it here would hold a database connection while waiting for the tenant, and concurrent creates of one tenant
     * queue on its lock row anyway.
     */
    void reserve(TenantId tenantId, Plan plan, ApiKeyId keyId, Environment environment, Instant expires) {
        if (!plan.hasApiAccess()) {
            throw new KeysmithException.Forbidden("plan_upgrade_required",
                    "Upgrade required: the Free plan has no API keys. An owner can choose Pro or Enterprise in Settings.");
        }
        lockTenant(tenantId);
        Timestamp now = Timestamp.from(GenericEventMessage.clock.instant());
        PlanLimits.Limits limit = limits.of(plan);
        int total = count("SELECT COUNT(*) FROM key_slots WHERE tenant_id = ? AND active = TRUE "
                + "AND (expires_at IS NULL OR expires_at > ?)", tenantId.value(), now);
        if (total >= limit.maxActiveKeys()) {
            throw limitReached("The " + plan.label() + " plan allows " + limit.maxActiveKeys()
                    + " active keys per workspace and all are in use: revoke one first, or upgrade.",
                    limit.maxActiveKeys());
        }
        int inEnvironment = count("SELECT COUNT(*) FROM key_slots WHERE tenant_id = ? AND environment = ? "
                + "AND active = TRUE AND (expires_at IS NULL OR expires_at > ?)", tenantId.value(), environment.name(), now);
        if (inEnvironment >= limit.maxActiveKeysPerEnvironment()) {
            throw limitReached("The " + plan.label() + " plan allows " + limit.maxActiveKeysPerEnvironment()
                    + " active keys per environment and " + environment.label()
                    + " has them all: revoke one first, or upgrade.", limit.maxActiveKeysPerEnvironment());
        }
        jdbc.update("INSERT INTO key_slots (key_id, tenant_id, environment, expires_at, active) VALUES (?, ?, ?, ?, TRUE)",
                keyId.value(), tenantId.value(), environment.name(), expires == null ? null : Timestamp.from(expires));
    }

    void release(ApiKeyId keyId) {
        jdbc.update("UPDATE key_slots SET active = FALSE WHERE key_id = ?", keyId.value());
    }

    /** Locks the tenant's row until the command's transaction ends (creating the row first, on its own). */
    private void lockTenant(TenantId tenantId) {
        if (jdbc.update("UPDATE key_slot_locks SET version = version + 1 WHERE tenant_id = ?", tenantId.value()) == 1) {
            return;
        }
        separateTransaction.executeWithoutResult(status -> {
            try {
                jdbc.update("INSERT INTO key_slot_locks (tenant_id, version) VALUES (?, 0)", tenantId.value());
            } catch (DuplicateKeyException concurrentlyCreated) {
                status.setRollbackOnly();
            }
        });
        jdbc.update("UPDATE key_slot_locks SET version = version + 1 WHERE tenant_id = ?", tenantId.value());
    }

    private int count(String sql, Object... args) {
        Integer count = jdbc.queryForObject(sql, Integer.class, args);
        return count == null ? 0 : count;
    }

    /** The plan's limit of active keys is reached: 409 {@code key_limit_reached}, naming the limit. */
    private static KeysmithException limitReached(String message, int limit) {
        return new KeysmithException.Conflict("key_limit_reached", message).withDetail("limit", limit);
    }
}
