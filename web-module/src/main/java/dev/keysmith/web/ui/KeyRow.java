package dev.keysmith.web.ui;

import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.RevocationReason;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A key as the pages show it: the view, its status at the time of the request, and the texts and badge colours
 * derived from them. All times are shown in UTC.
 */
record KeyRow(ApiKeyView key, ApiKeyView.Status status, Instant now) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CELL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    static KeyRow of(ApiKeyView key, Instant now) {
        return new KeyRow(key, key.status(now), now);
    }

    /** Revoked or expired: the row stays in the table, marked, and may be removed from the list. */
    public boolean inactive() {
        return status == ApiKeyView.Status.REVOKED || status == ApiKeyView.Status.EXPIRED;
    }

    /** The key can still be renamed, rotated and revoked. */
    public boolean changeable() {
        return !inactive();
    }

    public boolean revoked() {
        return status == ApiKeyView.Status.REVOKED;
    }

    public boolean expired() {
        return status == ApiKeyView.Status.EXPIRED;
    }

    /**
     * The previous secret still works: a rotation's grace period has not ended, and the key is neither revoked nor
     * expired (either stops every secret of the key).
     */
    public boolean previousSecretWorks() {
        return !inactive() && key.previousValidUntil() != null && now.isBefore(key.previousValidUntil());
    }

    public String badge() {
        return switch (status) {
            case ACTIVE -> "text-bg-success";
            case EXPIRING -> "text-bg-warning";
            case ROTATING -> "text-bg-info";
            case EXPIRED -> "text-bg-secondary";
            case REVOKED -> "text-bg-danger";
        };
    }

    public String created() {
        return time(key.created());
    }

    public String lastUsed() {
        return key.lastUsed() == null ? "never" : time(key.lastUsed());
    }

    public String expires() {
        return expiry(key.expires());
    }

    /** The table's shorter forms (the table says once that its times are UTC). */
    public String createdCell() {
        return CELL.format(key.created());
    }

    public String lastUsedCell() {
        return key.lastUsed() == null ? "never" : CELL.format(key.lastUsed());
    }

    public String expiresCell() {
        return expiry(key.expires()).replace(" UTC", "");
    }

    public String rotatedCell() {
        return key.rotatedAt() == null ? "" : CELL.format(key.rotatedAt());
    }

    public String rotatedAt() {
        return time(key.rotatedAt());
    }

    public String previousValidUntil() {
        return time(key.previousValidUntil());
    }

    public String revokedAt() {
        return time(key.revokedAt());
    }

    public String reason() {
        RevocationReason reason = key.revocationReason();
        return reason == null ? "" : reasonLabel(reason);
    }

    public String brand() {
        return key.brand() == null || key.brand().isBlank() ? "—" : key.brand();
    }

    /** The allowlist, one entry a line, as the edit form's textarea shows it. */
    public String ipsText() {
        return String.join("\n", key.ips());
    }

    static String reasonLabel(RevocationReason reason) {
        return switch (reason) {
            case MANUAL -> "Manual";
            case LEAKED -> "Leaked";
            case NO_LONGER_NEEDED -> "No longer needed";
            case EXPIRED_CLEANUP -> "Expired (clean-up)";
        };
    }

    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /**
     * An expiry as a person chose it: a key made with an expiry date stops at the next day's 00:00 UTC, which
     * reads better as the end of the chosen day.
     */
    static String expiry(Instant instant) {
        if (instant == null) {
            return "never";
        }
        if (instant.atZone(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT)) {
            return "end of " + DAY.format(instant.minus(Duration.ofDays(1))) + " UTC";
        }
        return time(instant);
    }
}
