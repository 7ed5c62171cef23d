package dev.keysmith.keys;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Why a key was revoked. */
public enum RevocationReason {
    MANUAL, LEAKED, NO_LONGER_NEEDED, EXPIRED_CLEANUP;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RevocationReason parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return MANUAL;
        }
        try {
            return valueOf(raw.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new KeysmithException.InvalidInput("reason",
                    "Unknown reason: use manual, leaked, no_longer_needed or expired_cleanup.");
        }
    }
}
