package dev.keysmith.keys.events;

import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

/** A brand was removed from the tenant; keys issued for it keep their brand label. */
@Revision("1")
public record BrandRemoved(TenantId tenantId, String name) {
}
