package dev.keysmith.keys;

import java.util.Optional;

/**
 * The way in for everything about tenants and members: sign-up, members, roles, passwords, plan and brands.
 * Each method validates its input, dispatches the command as the {@link Actor#current() current actor}, keeps the
 * credentials store in step, and returns once this node's projections show the change.
 */
public interface Accounts {

    record SignUp(TenantId tenantId, MemberId ownerId, String clientId, long teamNumber) {
    }

    SignUp signUp(String workspaceName, String ownerEmail, String password, Plan plan);

    MemberId addMember(TenantId tenantId, String email, Role role, String initialPassword);

    void changeRole(TenantId tenantId, MemberId memberId, Role role);

    void removeMember(TenantId tenantId, MemberId memberId);

    /** Checks the current password, then replaces it. */
    void changePassword(TenantId tenantId, MemberId memberId, String currentPassword, String newPassword);

    void changePlan(TenantId tenantId, Plan plan);

    void addBrand(TenantId tenantId, String name);

    void removeBrand(TenantId tenantId, String name);

    Optional<Credentials> credentials(String email);

    Optional<Credentials> credentials(MemberId memberId);

    boolean passwordMatches(Credentials credentials, String password);
}
