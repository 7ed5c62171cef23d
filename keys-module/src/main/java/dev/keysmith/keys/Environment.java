package dev.keysmith.keys;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where a key works: Production ({@code ks_live_}), Development ({@code ks_dev_}) or Sandbox ({@code ks_test_}). */
public enum Environment {
    PRODUCTION("live", "Production"),
    DEVELOPMENT("dev", "Development"),
    SANDBOX("test", "Sandbox");

    private final String keyTag;
    private final String label;

    Environment(String keyTag, String label) {
        this.keyTag = keyTag;
        this.label = label;
    }

    /** The part of the key after {@code ks_}: live, dev or test. */
    public String keyTag() {
        return keyTag;
    }

    public String label() {
        return label;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts production/development/sandbox, their labels, or the key tags live/dev/test, in any case. */
    @JsonCreator
    public static Environment parse(String raw) {
        if (raw != null) {
            String value = raw.strip().toLowerCase(Locale.ROOT);
            for (Environment environment : values()) {
                if (environment.json().equals(value) || environment.keyTag.equals(value)) {
                    return environment;
                }
            }
        }
        throw new KeysmithException.InvalidInput("environment",
                "Unknown environment \"" + (raw == null ? "" : Inputs.abbreviate(raw))
                        + "\": use production, development or sandbox.");
    }

    static Environment ofKeyTag(String tag) {
        for (Environment environment : values()) {
            if (environment.keyTag.equals(tag)) {
                return environment;
            }
        }
        return null;
    }
}
