package dev.keysmith.keys.events;

import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

/** A member joined the tenant with a role (the tenant's owner at registration is added by TenantRegistered). */
@Revision("1")
public record MemberAdded(TenantId tenantId, MemberId memberId, String email, Role role) {
}
