package dev.keysmith.webhooks.events;

import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.WebhookEndpointId;
import org.axonframework.serialization.Revision;


/** An endpoint was enabled again: deliveries resume (failed ones can be redelivered). */
@Revision("1")
public record WebhookEndpointEnabled(WebhookEndpointId endpointId, TenantId tenantId) {
}
