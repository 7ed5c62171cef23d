package dev.keysmith.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A row of the key table: everything about a key except its secret. {@link #status(Instant)} is derived at read
 * time, so a key whose expiry passed shows as expired before the sweeper records it. {@code spiking}: a usage
 * spike episode is open ({@code ApiKeyUsageSpiked} without its {@code ApiKeyUsageSettled} yet).
 */
public record ApiKeyView(ApiKeyId id, TenantId tenantId, String name, Environment environment, String brand,
                         List<String> ips, String prefix, String last4, Instant created, Instant expires,
                         Instant lastUsed, long usageCount, Instant rotatedAt, Instant previousValidUntil,
                         Instant revokedAt, RevocationReason revocationReason, boolean temporary, boolean hidden,
                         boolean spiking) {

    /** Keys that expire within this window show as "expiring". */
    public static final Duration EXPIRING_SOON = Duration.ofDays(7);

    public enum Status {
        ACTIVE("Active"), EXPIRING("Expiring soon"), EXPIRED("Expired"), REVOKED("Revoked"), ROTATING("Rotating");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Status status(Instant now) {
        if (revokedAt != null) {
            return Status.REVOKED;
        }
        if (expires != null && !now.isBefore(expires)) {
            return Status.EXPIRED;
        }
        if (previousValidUntil != null && now.isBefore(previousValidUntil)) {
            return Status.ROTATING;
        }
        if (expires != null && now.plus(EXPIRING_SOON).isAfter(expires)) {
            return Status.EXPIRING;
        }
        return Status.ACTIVE;
    }

    public String masked() {
        return KeySecrets.masked(prefix, last4);
    }
}
