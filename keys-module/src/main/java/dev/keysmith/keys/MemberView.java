package dev.keysmith.keys;

import java.time.Instant;

/** A member of a tenant. */
public record MemberView(MemberId id, TenantId tenantId, String email, Role role, Instant added) {
}
