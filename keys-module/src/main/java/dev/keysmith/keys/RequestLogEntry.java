package dev.keysmith.keys;

import java.time.Instant;

/**
 * One API request as the request log keeps it: when, whose (tenant, key id and display prefix, brand,
 * environment), what (method, path without query string, status, problem code), how long, and from where (client
 * IP, abbreviated user agent). Never a secret: a key-shaped string in the path or user agent is redacted by
 * {@link #of}.
 *
 * @param id             time-ordered id ({@code req_...}), assigned by {@link RequestLogs#record}
 * @param keyId          the key that made (or was refused for) the request; null when no key was identified
 * @param errorCode      the problem+json {@code code} answered, null for a success
 * @param latencyMicros  time from the request's arrival to its response, in microseconds
 */
public record RequestLogEntry(String id, Instant time, TenantId tenantId, ApiKeyId keyId, String keyPrefix,
                              String brand, Environment environment, String method, String path, int status,
                              String errorCode, long latencyMicros, String clientIp, String userAgent) {

    public static final int MAX_PATH = 512;
    public static final int MAX_USER_AGENT = 200;
    private static final java.util.regex.Pattern KEY_LIKE =
            java.util.regex.Pattern.compile("(ks_(?:live|test|dev)_)[A-Za-z0-9]+");

    /** A new entry (no id yet), with the path and user agent cleaned: no key-shaped text, bounded lengths. */
    public static RequestLogEntry of(Instant time, TenantId tenantId, VerifiedKey key, String keyPrefix,
                                     String method, String path, int status, String errorCode, long latencyMicros,
                                     String clientIp, String userAgent) {
        return new RequestLogEntry(null, time, tenantId, key == null ? null : key.keyId(), keyPrefix,
                key == null ? null : key.brand(), key == null ? null : key.environment(), method,
                clean(path, MAX_PATH), status, errorCode, latencyMicros, clientIp, clean(userAgent, MAX_USER_AGENT));
    }

    public RequestLogEntry withId(String newId) {
        return new RequestLogEntry(newId, time, tenantId, keyId, keyPrefix, brand, environment, method, path, status,
                errorCode, latencyMicros, clientIp, userAgent);
    }

    /** The latency in milliseconds, for people. */
    public double latencyMillis() {
        return latencyMicros / 1000.0;
    }

    /** The status class: 2xx, 3xx, 4xx or 5xx. */
    public String statusClass() {
        return (status / 100) + "xx";
    }

    /** Redacts key-shaped text (its prefix stays) and abbreviates to {@code max} characters. */
    static String clean(String text, int max) {
        if (text == null) {
            return null;
        }
        String redacted = KEY_LIKE.matcher(text).replaceAll("$1[redacted]");
        StringBuilder printable = new StringBuilder(Math.min(redacted.length(), max + 1));
        for (int i = 0; i < redacted.length() && printable.length() <= max; i++) {
            char c = redacted.charAt(i);
            printable.append(Character.isISOControl(c) ? '?' : c);
        }
        return printable.length() > max ? printable.substring(0, max - 1) + "…" : printable.toString();
    }
}
