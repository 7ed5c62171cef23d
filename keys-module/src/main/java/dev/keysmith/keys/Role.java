package dev.keysmith.keys;

/**
 * What a member may do. Owners manage everything (members, plan, brands); Admins manage keys and webhooks;
 * Developers read keys and logs; Auditors read everything (audit trail, keys, logs) and change nothing.
 */
public enum Role {
    OWNER("Owner"),
    ADMIN("Admin"),
    DEVELOPER("Developer"),
    AUDITOR("Auditor");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean canManageKeys() {
        return this == OWNER || this == ADMIN;
    }

    public boolean canManageTenant() {
        return this == OWNER;
    }
}
