package dev.keysmith.keys.events;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A key was used: at most one event per key per flush interval and node, with the requests counted by outcome
 * (status class: 2xx, 3xx, 4xx, 5xx; refusals of the key are 4xx), the first and last request, the last client IP
 * and the distinct IPs seen (at most {@link #MAX_IPS}). {@code totalCount} is the key's usage since its creation.
 */
@Revision("1")
public record ApiKeyUsed(ApiKeyId keyId, TenantId tenantId, Map<String, Long> counts, long count, long totalCount,
                         Instant firstAt, Instant lastAt, String lastIp, List<String> ips) {

    public static final int MAX_IPS = 20;
}
