package dev.keysmith.keys.tenant;

import dev.keysmith.keys.AggregateReads;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.TenantTerms;
import org.axonframework.config.Configuration;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** The terms read from the tenant aggregate, sourced from the event store (a tenant has few events). */
@Component
class EventSourcedTenantTerms implements TenantTerms {

    private final Configuration axon;

    EventSourcedTenantTerms(Configuration axon) {
        this.axon = axon;
    }

    @Override
    public Optional<Terms> of(TenantId tenantId) {
        return AggregateReads.read(axon.repository(Tenant.class), tenantId.value(), Tenant::terms);
    }
}
