package dev.keysmith.keys;

/**
 * What sign-in needs about a member: the bcrypt hash of their password and whether it is an initial password
 * that must be replaced. Never leaves the server; {@link #toString()} hides the hash.
 */
public record Credentials(MemberId memberId, TenantId tenantId, String email, String passwordHash,
                          boolean mustChangePassword) {

    @Override
    public String toString() {
        return "Credentials[" + memberId + ", " + tenantId + ", mustChangePassword=" + mustChangePassword + "]";
    }
}
