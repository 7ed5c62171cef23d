package dev.keysmith.webhooks.endpoint;

import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.DisableReason;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.WebhookCommands.CreateWebhookEndpoint;
import dev.keysmith.webhooks.WebhookCommands.DeleteWebhookEndpoint;
import dev.keysmith.webhooks.WebhookCommands.DisableWebhookEndpoint;
import dev.keysmith.webhooks.WebhookCommands.EnableWebhookEndpoint;
import dev.keysmith.webhooks.WebhookCommands.RotateWebhookSecret;
import dev.keysmith.webhooks.WebhookCommands.SendWebhookTest;
import dev.keysmith.webhooks.WebhookCommands.UpdateWebhookEndpoint;
import dev.keysmith.webhooks.WebhookEndpointId;
import dev.keysmith.webhooks.events.WebhookEndpointCreated;
import dev.keysmith.webhooks.events.WebhookEndpointDeleted;
import dev.keysmith.webhooks.events.WebhookEndpointDisabled;
import dev.keysmith.webhooks.events.WebhookEndpointEnabled;
import dev.keysmith.webhooks.events.WebhookEndpointUpdated;
import dev.keysmith.webhooks.events.WebhookSecretRotated;
import dev.keysmith.webhooks.events.WebhookTestRequested;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

class WebhookEndpointTests {

    static final WebhookEndpointId ID = new WebhookEndpointId("whep_0123456789abcdef");
    static final TenantId TENANT = new TenantId("ten_0123456789abcdef");
    static final TenantId OTHER = new TenantId("ten_fedcba9876543210");
    static final List<EventType> EVENTS = List.of(EventType.KEY_CREATED, EventType.KEY_REVOKED);
    static final WebhookEndpointCreated CREATED = new WebhookEndpointCreated(ID, TENANT, "Orders",
            "https://hooks.example.com/k", Environment.PRODUCTION, EVENTS, 1, "sha256:0a1b2c3d4e5f");

    AggregateTestFixture<WebhookEndpoint> fixture;

    @BeforeEach
    void fixture() {
        fixture = new AggregateTestFixture<>(WebhookEndpoint.class);
    }

    @Test
    void createRecordsTheFingerprintNeverTheSecret() {
        fixture.givenNoPriorActivity()
                .when(new CreateWebhookEndpoint(ID, TENANT, "Orders", "https://hooks.example.com/k",
                        Environment.PRODUCTION, EVENTS, "sha256:0a1b2c3d4e5f"))
                .expectEvents(CREATED);
    }

    @Test
    void updateRecordsTheNewValuesAndNothingWhenUnchanged() {
        fixture.given(CREATED)
                .when(new UpdateWebhookEndpoint(ID, TENANT, "Orders v2", null, null, null))
                .expectEvents(new WebhookEndpointUpdated(ID, TENANT, "Orders v2", "https://hooks.example.com/k",
                        Environment.PRODUCTION, EVENTS));
        fixture.given(CREATED)
                .when(new UpdateWebhookEndpoint(ID, TENANT, "Orders", "https://hooks.example.com/k", null, EVENTS))
                .expectNoEvents();
    }

    @Test
    void disableAndEnableAreIdempotent() {
        fixture.given(CREATED)
                .when(new DisableWebhookEndpoint(ID, TENANT, DisableReason.GONE, "410"))
                .expectEvents(new WebhookEndpointDisabled(ID, TENANT, DisableReason.GONE, "410"));
        fixture.given(CREATED, new WebhookEndpointDisabled(ID, TENANT, DisableReason.MANUAL, null))
                .when(new DisableWebhookEndpoint(ID, TENANT, DisableReason.FAILING, "x"))
                .expectNoEvents();
        fixture.given(CREATED, new WebhookEndpointDisabled(ID, TENANT, DisableReason.MANUAL, null))
                .when(new EnableWebhookEndpoint(ID, TENANT))
                .expectEvents(new WebhookEndpointEnabled(ID, TENANT));
        fixture.given(CREATED).when(new EnableWebhookEndpoint(ID, TENANT)).expectNoEvents();
    }

    @Test
    void rotationNeedsTheNextVersion() {
        Instant until = Instant.parse("2030-01-01T00:00:00Z");
        fixture.given(CREATED)
                .when(new RotateWebhookSecret(ID, TENANT, 2, "sha256:ffffffffffff", until))
                .expectEvents(new WebhookSecretRotated(ID, TENANT, 2, "sha256:ffffffffffff", 1, until));
        fixture.given(CREATED, new WebhookSecretRotated(ID, TENANT, 2, "sha256:ffffffffffff", 1, until))
                .when(new RotateWebhookSecret(ID, TENANT, 2, "sha256:eeeeeeeeeeee", until))
                .expectException(KeysmithException.Conflict.class);
    }

    @Test
    void testEventsOnlyWhileEnabled() {
        fixture.given(CREATED).when(new SendWebhookTest(ID, TENANT, "t1"))
                .expectEvents(new WebhookTestRequested(ID, TENANT, "t1"));
        fixture.given(CREATED, new WebhookEndpointDisabled(ID, TENANT, DisableReason.MANUAL, null))
                .when(new SendWebhookTest(ID, TENANT, "t2"))
                .expectException(KeysmithException.Conflict.class);
    }

    @Test
    void anotherTenantFindsNothingAndDeletedIsGone() {
        fixture.given(CREATED).when(new DisableWebhookEndpoint(ID, OTHER, DisableReason.MANUAL, null))
                .expectException(KeysmithException.NotFound.class);
        fixture.given(CREATED).when(new DeleteWebhookEndpoint(ID, TENANT))
                .expectEvents(new WebhookEndpointDeleted(ID, TENANT));
    }
}
