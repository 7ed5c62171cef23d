package dev.keysmith.keys.events;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

/** A revoked or expired key was removed from the key table's list; its history stays. */
@Revision("1")
public record ApiKeyHidden(ApiKeyId keyId, TenantId tenantId) {
}
