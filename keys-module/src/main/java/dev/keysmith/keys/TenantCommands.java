package dev.keysmith.keys;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The commands of the Tenant aggregate. Most callers go through {@link Accounts}, which pairs them with the
 * credentials they need (password hashes never enter a command or an event).
 */
public final class TenantCommands {

    private TenantCommands() {
    }

    public record RegisterTenant(@TargetAggregateIdentifier TenantId tenantId, String name, String clientId,
                                 long teamNumber, Plan plan, MemberId ownerId, String ownerEmail)
            implements TenantCommand {
    }

    public record ChangePlan(@TargetAggregateIdentifier TenantId tenantId, Plan plan) implements TenantCommand {
    }

    public record AddBrand(@TargetAggregateIdentifier TenantId tenantId, String name) implements TenantCommand {
    }

    public record RemoveBrand(@TargetAggregateIdentifier TenantId tenantId, String name) implements TenantCommand {
    }

    public record AddMember(@TargetAggregateIdentifier TenantId tenantId, MemberId memberId, String email, Role role)
            implements TenantCommand {
    }

    public record ChangeMemberRole(@TargetAggregateIdentifier TenantId tenantId, MemberId memberId, Role role)
            implements TenantCommand {
    }

    public record RemoveMember(@TargetAggregateIdentifier TenantId tenantId, MemberId memberId)
            implements TenantCommand {
    }

    public record RecordPasswordChange(@TargetAggregateIdentifier TenantId tenantId, MemberId memberId,
                                       boolean initialPasswordReplaced) implements TenantCommand {
    }
}
