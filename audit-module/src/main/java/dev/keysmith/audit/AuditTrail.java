package dev.keysmith.audit;

import dev.keysmith.keys.TenantId;

import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/** The audit trail of a tenant: read it, verify it against the event store, export it. */
public interface AuditTrail {

    int MAX_PAGE = 200;

    /** Records after the cursor (null: from the first), oldest first, at most {@code limit} (1..200). */
    AuditPage events(TenantId tenantId, AuditFilter filter, String cursor, int limit);

    /**
     * The event types the trail describes (as records carry them, e.g. {@code ApiKeyCreated},
     * {@code WebhookEndpointDisabled}), sorted: one per {@link EventDescriber} bean, of whichever module.
     */
    List<String> eventTypes();

    /** The last record of the tenant's chain, if it has any. */
    Optional<ChainHead> head(TenantId tenantId);

    /** Walks the chain and the event store (after this node's projections caught up) and reports the first break. */
    ChainCheck verify(TenantId tenantId);

    /** Writes the matching records to {@code out}, reading them in batches (memory stays flat however long). */
    void export(TenantId tenantId, AuditFilter filter, ExportFormat format, OutputStream out);
}
