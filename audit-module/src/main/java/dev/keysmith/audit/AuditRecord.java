package dev.keysmith.audit;

import java.time.Instant;

/**
 * One event of a tenant's trail, at its {@code position} (1, 2, 3... per tenant, in event-store order).
 * {@code payload} is the event as JSON (it never holds a secret: events do not). {@code subject*} and
 * {@code description} are derived for people; the chain hash covers the facts ({@link AuditChain#canonical}).
 */
public record AuditRecord(String tenantId, long position, String eventId, String type, Instant time,
                          String actor, String actorType, String ip, String userAgent, String correlationId,
                          String subjectKind, String subjectId, String subject, String description,
                          String payload, String prevHash, String hash) {

    public AuditRecord withPosition(long newPosition) {
        return new AuditRecord(tenantId, newPosition, eventId, type, time, actor, actorType, ip, userAgent,
                correlationId, subjectKind, subjectId, subject, description, payload, prevHash, hash);
    }

    public AuditRecord withHash(String newHash) {
        return new AuditRecord(tenantId, position, eventId, type, time, actor, actorType, ip, userAgent,
                correlationId, subjectKind, subjectId, subject, description, payload, prevHash, newHash);
    }
}
