package dev.keysmith.webhooks;

import dev.keysmith.keys.Environment;
import dev.keysmith.keys.TenantCommand;
import dev.keysmith.keys.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

/** The commands of the WebhookEndpoint aggregate; callers go through {@link Webhooks}, which stores the secrets. */
public final class WebhookCommands {

    private WebhookCommands() {
    }

    public record CreateWebhookEndpoint(@TargetAggregateIdentifier WebhookEndpointId endpointId, TenantId tenantId,
                                        String name, String url, Environment environment, List<EventType> events,
                                        String secretFingerprint) implements TenantCommand {
    }

    public record UpdateWebhookEndpoint(@TargetAggregateIdentifier WebhookEndpointId endpointId, TenantId tenantId,
                                        String name, String url, Environment environment, List<EventType> events)
            implements TenantCommand {
    }

    public record EnableWebhookEndpoint(@TargetAggregateIdentifier WebhookEndpointId endpointId, TenantId tenantId)
            implements TenantCommand {
    }

    public record DisableWebhookEndpoint(@TargetAggregateIdentifier WebhookEndpointId endpointId, TenantId tenantId,
                                         DisableReason reason, String detail) implements TenantCommand {
    }

    public record DeleteWebhookEndpoint(@TargetAggregateIdentifier WebhookEndpointId endpointId, TenantId tenantId)
            implements TenantCommand {
    }

    /** The new secret (version {@code secretVersion}) is already stored, encrypted; the event names its version only. */
    public record RotateWebhookSecret(@TargetAggregateIdentifier WebhookEndpointId endpointId, TenantId tenantId,
                                      int secretVersion, String secretFingerprint, Instant previousValidUntil)
            implements TenantCommand {
    }

    public record SendWebhookTest(@TargetAggregateIdentifier WebhookEndpointId endpointId, TenantId tenantId,
                                  String testId) implements TenantCommand {
    }
}
