package dev.keysmith;

import dev.keysmith.keys.EventTenants;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;


/**
 * Keeps every event of one tenant in one processor segment, in stream order: the audit trail chains each tenant's
 * records, and a key's or endpoint's events belong to one tenant. The tenant is found as the audit trail finds it:
 * the payload's {@code tenantId}, else the {@code tenantId} metadata every command stamps; an event with neither
 * falls back to its aggregate, then to itself.
 */
final class TenantSequencingPolicy implements SequencingPolicy<EventMessage<?>> {

    static final TenantSequencingPolicy INSTANCE = new TenantSequencingPolicy();

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        String tenant = EventTenants.of(event.getPayload(), event.getMetaData());
        if (tenant != null) {
            return tenant;
        }
        if (event instanceof DomainEventMessage<?> domain && domain.getAggregateIdentifier() != null) {
            return domain.getAggregateIdentifier();
        }
        return event.getIdentifier();
    }
}
