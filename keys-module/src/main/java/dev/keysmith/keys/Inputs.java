package dev.keysmith.keys;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalises and checks what people type: names, emails, passwords. Each method returns the normalised value or
 * throws {@link KeysmithException.InvalidInput} naming the field and saying what is wrong.
 */
public final class Inputs {

    public static final int MAX_NAME = 80;
    public static final int MAX_EMAIL = 254;
    public static final int MIN_PASSWORD = 12;
    public static final int MAX_PASSWORD = 128;

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s\\p{Cc}]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]");

    private Inputs() {
    }

    public static String workspaceName(String raw) {
        return name("workspaceName", "Workspace name", raw);
    }

    public static String brandName(String raw) {
        return name("brand", "Brand name", raw);
    }

    public static String name(String field, String label, String raw) {
        String value = raw == null ? "" : raw.strip();
        if (value.isEmpty()) {
            throw new KeysmithException.InvalidInput(field, label + " is required.");
        }
        if (value.length() > MAX_NAME) {
            throw new KeysmithException.InvalidInput(field,
                    label + " is " + value.length() + " characters long; at most " + MAX_NAME + " are allowed.");
        }
        if (CONTROL.matcher(value).find()) {
            throw new KeysmithException.InvalidInput(field, label + " must not contain control characters.");
        }
        return value;
    }

    public static String email(String raw) {
        String value = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            throw new KeysmithException.InvalidInput("email", "Email is required.");
        }
        if (value.length() > MAX_EMAIL || !EMAIL.matcher(value).matches()) {
            throw new KeysmithException.InvalidInput("email",
                    "\"" + abbreviate(value) + "\" is not a valid email address (expected name@example.com).");
        }
        return value;
    }

    public static String password(String field, String raw) {
        if (raw == null || raw.length() < MIN_PASSWORD) {
            throw new KeysmithException.InvalidInput(field,
                    "Password must be at least " + MIN_PASSWORD + " characters long.");
        }
        if (raw.length() > MAX_PASSWORD) {
            throw new KeysmithException.InvalidInput(field,
                    "Password must be at most " + MAX_PASSWORD + " characters long.");
        }
        if (raw.isBlank()) {
            throw new KeysmithException.InvalidInput(field, "Password must not be only spaces.");
        }
        return raw;
    }

    /**
     * Collects the refusals of several checks so that a form learns about every bad field at once:
     * {@code check.get(() -> Inputs.email(raw))} returns the value, or null after recording the refusal;
     * {@link #done()} throws one {@link KeysmithException.InvalidInput} naming them all.
     */
    public static final class Check {
        private final java.util.List<KeysmithException.FieldError> errors = new java.util.ArrayList<>();

        public <T> T get(java.util.function.Supplier<T> check) {
            try {
                return check.get();
            } catch (KeysmithException.InvalidInput refusal) {
                errors.addAll(refusal.errors());
                return null;
            }
        }

        public void done() {
            if (!errors.isEmpty()) {
                throw new KeysmithException.InvalidInput(errors);
            }
        }
    }

    /** Shortens what a person typed for quoting in a message. */
    public static String abbreviate(String value) {
        return value.length() > 60 ? value.substring(0, 57) + "..." : value;
    }
}
