package dev.keysmith.webhooks.endpoint;

import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.WebhookCommands.CreateWebhookEndpoint;
import dev.keysmith.webhooks.WebhookCommands.DeleteWebhookEndpoint;
import dev.keysmith.webhooks.WebhookCommands.DisableWebhookEndpoint;
import dev.keysmith.webhooks.WebhookCommands.EnableWebhookEndpoint;
import dev.keysmith.webhooks.WebhookCommands.RotateWebhookSecret;
import dev.keysmith.webhooks.WebhookCommands.SendWebhookTest;
import dev.keysmith.webhooks.WebhookCommands.UpdateWebhookEndpoint;
import dev.keysmith.webhooks.WebhookEndpointId;
import dev.keysmith.webhooks.Webhooks;
import dev.keysmith.webhooks.events.WebhookEndpointCreated;
import dev.keysmith.webhooks.events.WebhookEndpointDeleted;
import dev.keysmith.webhooks.events.WebhookEndpointDisabled;
import dev.keysmith.webhooks.events.WebhookEndpointEnabled;
import dev.keysmith.webhooks.events.WebhookEndpointUpdated;
import dev.keysmith.webhooks.events.WebhookSecretRotated;
import dev.keysmith.webhooks.events.WebhookTestRequested;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

/**
 * A webhook endpoint: where a tenant's messages go and which types it wants. Validates in command handlers and
 * only assigns state in event-sourcing handlers. Commands of another tenant are refused as not found; a change
 * that changes nothing records nothing.
 */
@Aggregate
class WebhookEndpoint {

    @AggregateIdentifier
    private WebhookEndpointId endpointId;
    private TenantId tenantId;
    private String name;
    private String url;
    private dev.keysmith.keys.Environment environment;
    private java.util.List<dev.keysmith.webhooks.EventType> events;
    private boolean enabled;
    private int secretVersion;

    WebhookEndpoint() {
    }

    @CommandHandler
    WebhookEndpoint(CreateWebhookEndpoint command) {
        apply(new WebhookEndpointCreated(command.endpointId(), command.tenantId(), command.name(), command.url(),
                command.environment(), command.events(), 1, command.secretFingerprint()));
    }

    @CommandHandler
    void handle(UpdateWebhookEndpoint command) {
        owned(command.tenantId());
        String newName = command.name() != null ? command.name() : name;
        String newUrl = command.url() != null ? command.url() : url;
        var newEnvironment = command.environment() != null ? command.environment() : environment;
        var newEvents = command.events() != null ? command.events() : events;
        if (newName.equals(name) && newUrl.equals(url) && newEnvironment == environment && newEvents.equals(events)) {
            return;
        }
        apply(new WebhookEndpointUpdated(endpointId, tenantId, newName, newUrl, newEnvironment, newEvents));
    }

    @CommandHandler
    void handle(EnableWebhookEndpoint command) {
        owned(command.tenantId());
        if (!enabled) {
            apply(new WebhookEndpointEnabled(endpointId, tenantId));
        }
    }

    @CommandHandler
    void handle(DisableWebhookEndpoint command) {
        owned(command.tenantId());
        if (enabled) {
            apply(new WebhookEndpointDisabled(endpointId, tenantId, command.reason(), command.detail()));
        }
    }

    @CommandHandler
    void handle(DeleteWebhookEndpoint command) {
        owned(command.tenantId());
        apply(new WebhookEndpointDeleted(endpointId, tenantId));
    }

    @CommandHandler
    void handle(RotateWebhookSecret command) {
        owned(command.tenantId());
        if (command.secretVersion() != secretVersion + 1) {
            throw new KeysmithException.Conflict("concurrent_modification",
                    "The secret was rotated at the same moment by someone else; rotate again if needed.");
        }
        apply(new WebhookSecretRotated(endpointId, tenantId, command.secretVersion(), command.secretFingerprint(),
                secretVersion, command.previousValidUntil()));
    }

    @CommandHandler
    void handle(SendWebhookTest command) {
        owned(command.tenantId());
        if (!enabled) {
            throw new KeysmithException.Conflict("endpoint_disabled",
                    "This endpoint is disabled: enable it before sending a test event.");
        }
        apply(new WebhookTestRequested(endpointId, tenantId, command.testId()));
    }

    private void owned(TenantId caller) {
        if (!Objects.equals(caller, tenantId)) {
            throw Webhooks.endpointNotFound();
        }
    }

    @EventSourcingHandler
    void on(WebhookEndpointCreated event) {
        endpointId = event.endpointId();
        tenantId = event.tenantId();
        name = event.name();
        url = event.url();
        environment = event.environment();
        events = event.events();
        enabled = true;
        secretVersion = event.secretVersion();
    }

    @EventSourcingHandler
    void on(WebhookEndpointUpdated event) {
        name = event.name();
        url = event.url();
        environment = event.environment();
        events = event.events();
    }

    @EventSourcingHandler
    void on(WebhookEndpointEnabled event) {
        enabled = true;
    }

    @EventSourcingHandler
    void on(WebhookEndpointDisabled event) {
        enabled = false;
    }

    @EventSourcingHandler
    void on(WebhookSecretRotated event) {
        secretVersion = event.secretVersion();
    }

    @EventSourcingHandler
    void on(WebhookEndpointDeleted event) {
        markDeleted();
    }
}
