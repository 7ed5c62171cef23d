package dev.keysmith.keys.events;

import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

/** A member's role changed. */
@Revision("1")
public record MemberRoleChanged(TenantId tenantId, MemberId memberId, Role from, Role to) {
}
