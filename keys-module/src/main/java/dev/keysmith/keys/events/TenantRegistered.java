package dev.keysmith.keys.events;

import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

/** A tenant (workspace) was created by sign-up or bootstrap, with its owner, Client ID, team number and plan. */
@Revision("1")
public record TenantRegistered(TenantId tenantId, String name, String clientId, long teamNumber, Plan plan, MemberId ownerId, String ownerEmail) {
}
