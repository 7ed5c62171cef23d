package dev.keysmith.keys.events;

import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

/** The tenant's plan changed. */
@Revision("1")
public record PlanChanged(TenantId tenantId, Plan from, Plan to) {
}
