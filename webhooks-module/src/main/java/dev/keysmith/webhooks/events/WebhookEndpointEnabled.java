package dev.keysmith.webhooks.events;

import dev.keysmith.keys.Environment;
import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.DisableReason;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.WebhookEndpointId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** An endpoint was enabled again: deliveries resume (failed ones can be redelivered). */
@Revision("1")
public record WebhookEndpointEnabled(WebhookEndpointId endpointId, TenantId tenantId) {
}
