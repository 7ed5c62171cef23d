package dev.keysmith.web.api;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.RequestLogQuery;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The request-log filters as typed (API query parameters or the Logs form), checked one by one: every bad value is
 * named with what is wrong, all at once ({@link KeysmithException.InvalidInput}). Shared by the API and the UI.
 *
 * @param from   ISO-8601 instant, or a date (its start, UTC)
 * @param to     ISO-8601 instant, or a date (the end of that day, UTC); exclusive
 * @param status a status (100..599) or a class: 2xx, 3xx, 4xx, 5xx
 * @param code   a problem code, e.g. key_not_found
 */
public record LogFilters(String from, String to, String status, String brand, String environment, String keyId,
                         String code, String cursor, String limit) {

    public RequestLogQuery toQuery() {
        List<KeysmithException.FieldError> errors = new ArrayList<>();
        Instant start = time("from", from, false, errors);
        Instant end = time("to", to, true, errors);
        if (start != null && end != null && !start.isBefore(end)) {
            errors.add(KeysmithException.FieldError.of("to", "to must be after from."));
        }
        Integer statusFrom = null;
        Integer statusTo = null;
        if (present(status)) {
            String value = status.strip().toLowerCase(Locale.ROOT);
            if (value.matches("[1-5]xx")) {
                statusFrom = (value.charAt(0) - '0') * 100;
                statusTo = statusFrom + 99;
            } else if (value.matches("\\d{3}") && Integer.parseInt(value) >= 100 && Integer.parseInt(value) <= 599) {
                statusFrom = statusTo = Integer.parseInt(value);
            } else {
                errors.add(KeysmithException.FieldError.of("status", "status must be a status code (100 to 599) or "
                        + "a class: 2xx, 3xx, 4xx or 5xx; got \"" + abbreviate(status) + "\"."));
            }
        }
        Environment env = null;
        if (present(environment)) {
            try {
                env = Environment.parse(environment);
            } catch (KeysmithException.InvalidInput e) {
                errors.add(KeysmithException.FieldError.of("environment", e.getMessage()));
            }
        }
        ApiKeyId key = null;
        if (present(keyId)) {
            if (keyId.strip().matches("key_[A-Za-z0-9]{1,64}")) {
                key = new ApiKeyId(keyId.strip());
            } else {
                errors.add(KeysmithException.FieldError.of("keyId", "keyId must be a key id such as "
                        + "key_0123456789abcdef; got \"" + abbreviate(keyId) + "\"."));
            }
        }
        String errorCode = null;
        if (present(code)) {
            if (code.strip().matches("[a-z_]{1,64}")) {
                errorCode = code.strip();
            } else {
                errors.add(KeysmithException.FieldError.of("code", "code must be an error code such as "
                        + "key_not_found (lower-case letters and underscores); got \"" + abbreviate(code) + "\"."));
            }
        }
        String brandName = null;
        if (present(brand)) {
            if (brand.strip().length() <= 100) {
                brandName = brand.strip();
            } else {
                errors.add(KeysmithException.FieldError.of("brand", "brand is at most 100 characters."));
            }
        }
        RequestLogQuery.Cursor after = null;
        if (present(cursor)) {
            after = RequestLogQuery.Cursor.decode(cursor);
            if (after == null) {
                errors.add(KeysmithException.FieldError.of("cursor",
                        "cursor must be the next value of a previous page, unchanged."));
            }
        }
        int size = RequestLogQuery.DEFAULT_LIMIT;
        if (present(limit)) {
            try {
                size = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > RequestLogQuery.MAX_LIMIT) {
                errors.add(KeysmithException.FieldError.of("limit", "limit must be a whole number from 1 to "
                        + RequestLogQuery.MAX_LIMIT + "; got \"" + abbreviate(limit) + "\"."));
            }
        }
        if (!errors.isEmpty()) {
            throw new KeysmithException.InvalidInput(errors);
        }
        return new RequestLogQuery(start, end, statusFrom, statusTo, brandName, env, key, errorCode, after, size);
    }

    private static Instant time(String field, String raw, boolean endOfDay, List<KeysmithException.FieldError> errors) {
        if (!present(raw)) {
            return null;
        }
        try {
            return Instant.parse(raw.strip());
        } catch (DateTimeParseException notAnInstant) {
            try {
                LocalDate day = LocalDate.parse(raw.strip());
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                errors.add(KeysmithException.FieldError.of(field, field + " must be an ISO-8601 instant "
                        + "(2026-11-23T10:00:00Z) or a date (2026-11-23); got \"" + abbreviate(raw) + "\"."));
                return null;
            }
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String abbreviate(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 57) + "..." : clean;
    }
}
