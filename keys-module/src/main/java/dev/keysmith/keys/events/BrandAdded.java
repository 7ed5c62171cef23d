package dev.keysmith.keys.events;

import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

/** A brand (sub-company) was added to the tenant. */
@Revision("1")
public record BrandAdded(TenantId tenantId, String name) {
}
