package dev.keysmith.keys;

/**
 * A refusal the caller can act on: a stable machine-readable {@code code} and a one-line message for a person.
 * The web module maps the subclasses to HTTP statuses (problem+json) and to messages beside form fields.
 * Messages never contain a secret.
 */
public class KeysmithException extends RuntimeException {

    private final String code;
    private final java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();

    public KeysmithException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Extra facts that help the caller (e.g. {@code limit}, {@code retryAfterSeconds}); added to problem+json. */
    public java.util.Map<String, Object> details() {
        return java.util.Collections.unmodifiableMap(details);
    }

    @SuppressWarnings("unchecked")
    public <T extends KeysmithException> T withDetail(String key, Object value) {
        details.put(key, value);
        return (T) this;
    }

    /** The thing does not exist for this caller (including: it belongs to another tenant). */
    public static class NotFound extends KeysmithException {
        public NotFound(String code, String message) {
            super(code, message);
        }
    }

    /** The request conflicts with the current state (duplicate, last owner, limit reached...). */
    public static class Conflict extends KeysmithException {
        public Conflict(String code, String message) {
            super(code, message);
        }
    }

    /** The caller may not do this. */
    public static class Forbidden extends KeysmithException {
        public Forbidden(String code, String message) {
            super(code, message);
        }
    }

    /** Too many requests of this kind for now; {@code retryAfterSeconds} says when to try again (429). */
    public static class RateLimited extends KeysmithException {
        private final long retryAfterSeconds;

        public RateLimited(String message, long retryAfterSeconds) {
            super("rate_limited", message);
            this.retryAfterSeconds = retryAfterSeconds;
            withDetail("retryAfterSeconds", retryAfterSeconds);
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** One malformed field: the form field or JSON property, a stable code, and what is wrong with it. */
    public record FieldError(String field, String code, String message) {
        public static FieldError of(String field, String message) {
            return new FieldError(field, "invalid_" + field.replaceAll("([a-z])([A-Z])", "$1_$2")
                    .toLowerCase(java.util.Locale.ROOT), message);
        }
    }

    /** Malformed input, naming every offending field (the first one gives the exception its code and message). */
    public static class InvalidInput extends KeysmithException {
        private final java.util.List<FieldError> errors;

        public InvalidInput(String field, String message) {
            this(java.util.List.of(FieldError.of(field, message)));
        }

        public InvalidInput(java.util.List<FieldError> errors) {
            super(errors.get(0).code(), errors.get(0).message());
            this.errors = java.util.List.copyOf(errors);
        }

        public String field() {
            return errors.get(0).field();
        }

        public java.util.List<FieldError> errors() {
            return errors;
        }
    }
}
