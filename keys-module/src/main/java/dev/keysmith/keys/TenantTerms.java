package dev.keysmith.keys;

import java.util.List;
import java.util.Optional;

/**
 * What key commands check of their tenant (its plan and brands), as the tenant's own history in the event store
 * says: so creating a key keeps working while MongoDB, where the tenant directory lives, is away, and a plan just
 * changed on another node applies at once.
 */
public interface TenantTerms {

    record Terms(Plan plan, List<String> brands) {
        public Terms {
            brands = List.copyOf(brands);
        }
    }

    /** The tenant's terms, or empty when there is no such tenant. */
    Optional<Terms> of(TenantId tenantId);
}
