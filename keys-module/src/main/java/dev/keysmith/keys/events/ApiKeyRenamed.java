package dev.keysmith.keys.events;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

/** A key's name changed. */
@Revision("1")
public record ApiKeyRenamed(ApiKeyId keyId, TenantId tenantId, String from, String to) {
}
