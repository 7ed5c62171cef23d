package dev.keysmith.keys.events;

import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

/** A member changed their password (the hash lives outside the event store, in the credentials collection). */
@Revision("1")
public record MemberPasswordChanged(TenantId tenantId, MemberId memberId, boolean initialPasswordReplaced) {
}
