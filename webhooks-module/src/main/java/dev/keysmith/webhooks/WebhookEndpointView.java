package dev.keysmith.webhooks;

import dev.keysmith.keys.Environment;
import dev.keysmith.keys.TenantId;

import java.time.Instant;
import java.util.List;

/**
 * A webhook endpoint as the UI and API show it; never its secret. {@code failingSince} is the first failed attempt
 * since the last success (null when healthy); {@code warning} is set once it has failed for the warning period.
 */
public record WebhookEndpointView(WebhookEndpointId id, TenantId tenantId, String name, String url,
                                  Environment environment, List<EventType> events, boolean enabled,
                                  DisableReason disabledReason, String disabledDetail, Instant created,
                                  int secretVersion, String secretFingerprint, Instant previousSecretValidUntil,
                                  Instant lastSuccessAt, Instant failingSince, boolean warning) {

    public boolean subscribes(EventType type) {
        return events.contains(type);
    }
}
