package dev.keysmith.webhooks.events;

import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.WebhookEndpointId;
import org.axonframework.serialization.Revision;


/** A member or key asked for a webhook.test message to this endpoint; testId names that message. */
@Revision("1")
public record WebhookTestRequested(WebhookEndpointId endpointId, TenantId tenantId, String testId) {
}
