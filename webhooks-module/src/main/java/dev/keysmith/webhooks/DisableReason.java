package dev.keysmith.webhooks;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Why an endpoint was disabled: by a person, because it answered 410 Gone, or because it kept failing. */
public enum DisableReason {
    MANUAL("Disabled by a member"),
    GONE("The endpoint answered 410 Gone"),
    FAILING("Every delivery failed for too long");

    private final String label;

    DisableReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
