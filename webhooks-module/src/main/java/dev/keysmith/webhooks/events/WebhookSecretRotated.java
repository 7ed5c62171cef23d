package dev.keysmith.webhooks.events;

import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.WebhookEndpointId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** An endpoint got a new signing secret (its version and fingerprint, never the secret); the previous version keeps signing until previousValidUntil. */
@Revision("1")
public record WebhookSecretRotated(WebhookEndpointId endpointId, TenantId tenantId, int secretVersion, String secretFingerprint, int previousVersion, Instant previousValidUntil) {
}
