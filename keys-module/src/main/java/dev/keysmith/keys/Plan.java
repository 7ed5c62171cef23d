package dev.keysmith.keys;

/** A tenant's plan. The limits each plan carries are configuration: {@link PlanLimits}. */
public enum Plan {
    FREE("Free"),
    PRO("Pro"),
    ENTERPRISE("Enterprise");

    private final String label;

    Plan(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The Free plan has no API access: its API pages show "Upgrade required". */
    public boolean hasApiAccess() {
        return this != FREE;
    }
}
