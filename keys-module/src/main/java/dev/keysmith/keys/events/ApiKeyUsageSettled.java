package dev.keysmith.keys.events;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A usage spike episode ended: the key's request rate fell back under the spike threshold. */
@Revision("1")
public record ApiKeyUsageSettled(ApiKeyId keyId, TenantId tenantId, Instant settledAt, double ratePerMinute) {
}
