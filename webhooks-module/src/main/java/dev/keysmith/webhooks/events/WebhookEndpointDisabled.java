package dev.keysmith.webhooks.events;

import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.DisableReason;
import dev.keysmith.webhooks.WebhookEndpointId;
import org.axonframework.serialization.Revision;


/** An endpoint was disabled: by a member (manual), because it answered 410 (gone), or after failing for days (failing). */
@Revision("1")
public record WebhookEndpointDisabled(WebhookEndpointId endpointId, TenantId tenantId, DisableReason reason, String detail) {
}
