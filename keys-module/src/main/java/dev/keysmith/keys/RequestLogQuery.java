package dev.keysmith.keys;

import java.time.Instant;

/**
 * Filters of the request log, all optional: a time range {@code [from, to)}, a status (exact, or a class as the
 * range {@code [statusFrom, statusTo]}), brand, environment, key, problem code; a cursor (the last row of the
 * previous page) and a page size. Built by the web layer, which validates what people type.
 */
public record RequestLogQuery(Instant from, Instant to, Integer statusFrom, Integer statusTo, String brand,
                              Environment environment, ApiKeyId keyId, String errorCode, Cursor cursor, int limit) {

    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 50;

    /** The position after which the next page starts: the (time, id) of the last row shown. */
    public record Cursor(Instant time, String id) {

        /** An opaque, URL-safe form. */
        public String encode() {
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (time.toEpochMilli() + ":" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** The cursor a page gave, or null when the text is not one of ours. */
        public static Cursor decode(String text) {
            try {
                String plain = new String(java.util.Base64.getUrlDecoder().decode(text.strip()),
                        java.nio.charset.StandardCharsets.UTF_8);
                int colon = plain.indexOf(':');
                String id = plain.substring(colon + 1);
                if (colon < 1 || !id.matches("req_[0-9a-f]{24}")) {
                    return null;
                }
                return new Cursor(Instant.ofEpochMilli(Long.parseLong(plain.substring(0, colon))), id);
            } catch (RuntimeException notOurs) {
                return null;
            }
        }
    }

    public RequestLogQuery {
        limit = limit <= 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
    }

    public static RequestLogQuery all() {
        return new RequestLogQuery(null, null, null, null, null, null, null, null, null, DEFAULT_LIMIT);
    }

    public RequestLogQuery after(Cursor next) {
        return new RequestLogQuery(from, to, statusFrom, statusTo, brand, environment, keyId, errorCode, next, limit);
    }

    public RequestLogQuery withLimit(int newLimit) {
        return new RequestLogQuery(from, to, statusFrom, statusTo, brand, environment, keyId, errorCode, cursor,
                newLimit);
    }
}
