package dev.keysmith.audit;

import java.time.Instant;

/**
 * Which records of a trail to read; every criterion is optional (null). {@code from} is inclusive, {@code to}
 * exclusive; {@code type} is an event type's simple name (e.g. {@code ApiKeyRevoked}); {@code actor} a member id,
 * key id or system actor name; {@code keyId} and {@code endpointId} the subject.
 */
public record AuditFilter(Instant from, Instant to, String type, String actor, String keyId, String endpointId) {

    public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null, null);
}
