package dev.keysmith.keys.events;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.RevocationReason;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

/** A key was revoked: refused from now on, kept in the table for reference. */
@Revision("1")
public record ApiKeyRevoked(ApiKeyId keyId, TenantId tenantId, RevocationReason reason) {
}
