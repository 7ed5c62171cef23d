package dev.keysmith.keys.events;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A key reached its expiry date (recorded by the expiry sweeper; the key is refused from the expiry instant itself). */
@Revision("1")
public record ApiKeyExpired(ApiKeyId keyId, TenantId tenantId, Instant expiredAt) {
}
