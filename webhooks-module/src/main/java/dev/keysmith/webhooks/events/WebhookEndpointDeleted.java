package dev.keysmith.webhooks.events;

import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.WebhookEndpointId;
import org.axonframework.serialization.Revision;


/** An endpoint was deleted; its secrets are erased and its pending deliveries cancelled. */
@Revision("1")
public record WebhookEndpointDeleted(WebhookEndpointId endpointId, TenantId tenantId) {
}
