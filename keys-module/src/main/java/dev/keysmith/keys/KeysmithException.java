package dev.keysmith.keys;

/**
 * A refusal the caller can act on: a stable machine-readable {@code code} and a one-line message for a person.
 * The web module maps the subclasses to HTTP statuses (problem+json) and to messages beside form fields.
 * Messages never contain a secret.
 */
public class KeysmithException extends RuntimeException {

    private final String code;

    public KeysmithException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
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

    /** Input that is malformed; {@code field} names the offending field (form field or JSON property). */
    public static class InvalidInput extends KeysmithException {
        private final String field;

        public InvalidInput(String field, String message) {
            super("invalid_" + field.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(), message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
