package dev.keysmith.audit.trail;

import dev.keysmith.audit.EventDescriber;
import dev.keysmith.audit.EventDescriber.Description;
import dev.keysmith.audit.EventDescriber.Subject;
import dev.keysmith.audit.EventDescriber.Subjects;
import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.WebhookEndpointId;
import dev.keysmith.webhooks.events.WebhookEndpointCreated;
import dev.keysmith.webhooks.events.WebhookEndpointDeleted;
import dev.keysmith.webhooks.events.WebhookEndpointDisabled;
import dev.keysmith.webhooks.events.WebhookEndpointEnabled;
import dev.keysmith.webhooks.events.WebhookEndpointUpdated;
import dev.keysmith.webhooks.events.WebhookSecretRotated;
import dev.keysmith.webhooks.events.WebhookTestRequested;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

import static dev.keysmith.audit.trail.KeysDescribers.describer;

/** How the trail describes webhook endpoints' events: the endpoint by name and URL, what changed, never a secret. */
@Configuration(proxyBeanMethods = false)
class WebhooksDescribers {

    static final String ENDPOINT = "endpoint";

    private static Description endpoint(TenantId tenant, WebhookEndpointId id, Subjects subjects, String text) {
        return new Description(ENDPOINT, id.value(), subjects.label(tenant.value(), id.value()), text);
    }

    private static String types(List<EventType> events) {
        return events == null || events.isEmpty() ? "none" : String.join(", ", events.stream().map(EventType::type).toList());
    }

    @Bean
    EventDescriber<WebhookEndpointCreated> webhookEndpointCreatedDescriber() {
        return describer(WebhookEndpointCreated.class, (e, s) -> {
            s.remember(e.tenantId().value(), new Subject(ENDPOINT, e.endpointId().value(), e.name(), e.url()));
            return endpoint(e.tenantId(), e.endpointId(), s, "Webhook endpoint created: " + e.environment().label()
                    + ", events " + types(e.events()) + ", signing secret v" + e.secretVersion() + " ("
                    + e.secretFingerprint() + ")");
        });
    }

    @Bean
    EventDescriber<WebhookEndpointUpdated> webhookEndpointUpdatedDescriber() {
        return describer(WebhookEndpointUpdated.class, (e, s) -> {
            String before = s.label(e.tenantId().value(), e.endpointId().value());
            s.remember(e.tenantId().value(), new Subject(ENDPOINT, e.endpointId().value(), e.name(), e.url()));
            String after = s.label(e.tenantId().value(), e.endpointId().value());
            return new Description(ENDPOINT, e.endpointId().value(), after, "Webhook endpoint changed: "
                    + (before.equals(after) ? "" : before + " -> " + after + "; ") + e.environment().label()
                    + ", events " + types(e.events()));
        });
    }

    @Bean
    EventDescriber<WebhookEndpointEnabled> webhookEndpointEnabledDescriber() {
        return describer(WebhookEndpointEnabled.class, (e, s) ->
                endpoint(e.tenantId(), e.endpointId(), s, "Webhook endpoint enabled"));
    }

    @Bean
    EventDescriber<WebhookEndpointDisabled> webhookEndpointDisabledDescriber() {
        return describer(WebhookEndpointDisabled.class, (e, s) -> endpoint(e.tenantId(), e.endpointId(), s,
                "Webhook endpoint disabled (" + e.reason().label() + ")"
                        + (e.detail() == null || e.detail().isBlank() ? "" : ": " + e.detail())));
    }

    @Bean
    EventDescriber<WebhookEndpointDeleted> webhookEndpointDeletedDescriber() {
        return describer(WebhookEndpointDeleted.class, (e, s) ->
                endpoint(e.tenantId(), e.endpointId(), s, "Webhook endpoint deleted; its secrets erased"));
    }

    @Bean
    EventDescriber<WebhookSecretRotated> webhookSecretRotatedDescriber() {
        return describer(WebhookSecretRotated.class, (e, s) -> endpoint(e.tenantId(), e.endpointId(), s,
                "Signing secret v" + e.previousVersion() + " -> v" + e.secretVersion() + " (" + e.secretFingerprint()
                        + "); v" + e.previousVersion() + " signs too until "
                        + (e.previousValidUntil() == null ? "now" : e.previousValidUntil())));
    }

    @Bean
    EventDescriber<WebhookTestRequested> webhookTestRequestedDescriber() {
        return describer(WebhookTestRequested.class, (e, s) ->
                endpoint(e.tenantId(), e.endpointId(), s, "Test message " + e.testId() + " requested"));
    }
}
