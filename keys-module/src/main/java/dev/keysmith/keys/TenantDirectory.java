package dev.keysmith.keys;

import java.util.List;
import java.util.Optional;

/** Reads tenants and members from their projection. Every lookup by member id is scoped to a tenant. */
public interface TenantDirectory {

    Optional<TenantView> tenant(TenantId tenantId);

    Optional<TenantView> tenantByClientId(String clientId);

    /** The member, if it exists and belongs to that tenant (another tenant's member id answers empty). */
    Optional<MemberView> member(TenantId tenantId, MemberId memberId);

    List<MemberView> members(TenantId tenantId);
}
