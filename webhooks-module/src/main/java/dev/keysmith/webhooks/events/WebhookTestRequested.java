package dev.keysmith.webhooks.events;

import dev.keysmith.keys.Environment;
import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.DisableReason;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.WebhookEndpointId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** A member or key asked for a webhook.test message to this endpoint; testId names that message. */
@Revision("1")
public record WebhookTestRequested(WebhookEndpointId endpointId, TenantId tenantId, String testId) {
}
