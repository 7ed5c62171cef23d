package dev.keysmith.keys.events;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A key's request rate rose above {@code multiple} times its recent baseline: recorded once per episode (the
 * episode ends with {@link ApiKeyUsageSettled}). Rates are requests per minute over the detection window that
 * ended at {@code detectedAt}. Unexpected spikes can mean a leaked key.
 */
@Revision("1")
public record ApiKeyUsageSpiked(ApiKeyId keyId, TenantId tenantId, Instant detectedAt, double ratePerMinute,
                                double baselinePerMinute, double multiple) {
}
