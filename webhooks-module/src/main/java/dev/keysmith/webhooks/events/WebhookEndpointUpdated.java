package dev.keysmith.webhooks.events;

import dev.keysmith.keys.Environment;
import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.WebhookEndpointId;
import org.axonframework.serialization.Revision;

import java.util.List;

/** An endpoint's name, URL, environment or event types changed; the event holds the new values of all four. */
@Revision("1")
public record WebhookEndpointUpdated(WebhookEndpointId endpointId, TenantId tenantId, String name, String url, Environment environment, List<EventType> events) {
}
