package dev.keysmith.web.api;

import dev.keysmith.keys.Environment;
import dev.keysmith.keys.RequestLogEntry;

import java.time.Instant;

/** A request-log record in the API. */
record LogJson(String id, Instant time, String keyId, String keyPrefix, String brand, Environment environment,
               String method, String path, int status, String code, double latencyMs, long latencyMicros,
               String clientIp, String userAgent) {

    static LogJson of(RequestLogEntry entry) {
        return new LogJson(entry.id(), entry.time(), entry.keyId() == null ? null : entry.keyId().value(),
                entry.keyPrefix(), entry.brand(), entry.environment(), entry.method(), entry.path(), entry.status(),
                entry.errorCode(), entry.latencyMillis(), entry.latencyMicros(), entry.clientIp(), entry.userAgent());
    }
}
