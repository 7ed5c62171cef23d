package dev.keysmith.keys.events;

import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

/** A member was removed; their credentials are erased. */
@Revision("1")
public record MemberRemoved(TenantId tenantId, MemberId memberId, String email) {
}
