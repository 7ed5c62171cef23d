package dev.keysmith.audit;

import dev.keysmith.keys.KeysmithException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Instants as people and programs write them: an ISO-8601 instant or offset date-time
 * ({@code 2026-03-01T09:30:00Z}, {@code ...+01:00}), a local date-time as a date-time picker sends it
 * ({@code 2026-03-01T09:30}, read as UTC), or a date (its start, UTC). Anything else is refused naming the field.
 */
public final class AuditInstants {

    private AuditInstants() {
    }

    /** The instant, or null when {@code raw} is blank. */
    public static Instant optional(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String text = raw.strip();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException ignored) {
            // refused below
        }
        throw new KeysmithException.InvalidInput(field, field + " must be an ISO-8601 instant such as "
                + "2026-03-01T09:30:00Z (or a date such as 2026-03-01); got \"" + abbreviate(text) + "\".");
    }

    public static Instant required(String field, String raw) {
        Instant instant = optional(field, raw);
        if (instant == null) {
            throw new KeysmithException.InvalidInput(field, field + " is required: an ISO-8601 instant such as "
                    + "2026-03-01T09:30:00Z.");
        }
        return instant;
    }

    /** A filter from raw request values (instants parsed, blanks dropped); {@code from} must precede {@code to}. */
    public static AuditFilter filter(String from, String to, String type, String actor, String keyId,
                                     String endpointId) {
        Instant start = optional("from", from);
        Instant end = optional("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw new KeysmithException.InvalidInput("to", "to must be later than from.");
        }
        return new AuditFilter(start, end, blank(type), blank(actor), blank(keyId), blank(endpointId));
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
