package dev.keysmith.webhooks.events;

import dev.keysmith.keys.Environment;
import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.WebhookEndpointId;
import org.axonframework.serialization.Revision;

import java.util.List;

/** An endpoint was created, enabled, with its first signing secret (version 1; its fingerprint only). */
@Revision("1")
public record WebhookEndpointCreated(WebhookEndpointId endpointId, TenantId tenantId, String name, String url, Environment environment, List<EventType> events, int secretVersion, String secretFingerprint) {
}
