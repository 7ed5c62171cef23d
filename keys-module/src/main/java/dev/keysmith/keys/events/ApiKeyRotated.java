package dev.keysmith.keys.events;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A key got a new secret; the previous one keeps working until previousValidUntil (the rotation instant when there is no grace period). */
@Revision("1")
public record ApiKeyRotated(ApiKeyId keyId, TenantId tenantId, String hash, String prefix, String last4, String previousHash, Instant previousValidUntil) {
}
