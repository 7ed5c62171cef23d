package dev.keysmith.web.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keysmith.keys.Environment;
import dev.keysmith.webhooks.DeliveryView;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.WebhookEndpointView;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Webhook endpoints and deliveries in the API. {@code secret} only in the create and rotate-secret responses. */
final class WebhookJson {

    private WebhookJson() {
    }

    record Endpoint(String id, String name, String url, Environment environment, List<EventType> events,
                    boolean enabled, String disabledReason, String disabledDetail, Instant created,
                    int secretVersion, String secretFingerprint, Instant previousSecretValidUntil,
                    Instant lastSuccessAt, Instant failingSince, boolean failingWarning,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

        static Endpoint of(WebhookEndpointView view, String secret) {
            return new Endpoint(view.id().value(), view.name(), view.url(), view.environment(), view.events(),
                    view.enabled(), view.disabledReason() == null ? null : view.disabledReason().json(),
                    view.disabledDetail(), view.created(), view.secretVersion(), view.secretFingerprint(),
                    view.previousSecretValidUntil(), view.lastSuccessAt(), view.failingSince(), view.warning(), secret);
        }
    }

    record Attempt(int number, Instant at, Integer statusCode, long latencyMillis, String responseExcerpt,
                   String error, Map<String, String> headers, boolean manual) {
        static Attempt of(DeliveryView.Attempt attempt) {
            return new Attempt(attempt.number(), attempt.at(), attempt.statusCode(), attempt.latencyMillis(),
                    attempt.responseExcerpt(), attempt.error(), attempt.headers(), attempt.manual());
        }
    }

    record Delivery(String id, String messageId, String endpointId, EventType eventType, Instant created,
                    String status, int attemptCount, Instant nextAttemptAt, Integer lastStatusCode, String lastError,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Object payload,
                    @JsonInclude(JsonInclude.Include.NON_NULL) List<Attempt> attempts) {

        static Delivery summary(DeliveryView view) {
            return new Delivery(view.id(), view.messageId(), view.endpointId().value(), view.eventType(),
                    view.created(), view.status().json(), view.attemptCount(), view.nextAttemptAt(),
                    view.lastStatusCode(), view.lastError(), null, null);
        }

        static Delivery full(DeliveryView view, Object payload) {
            return new Delivery(view.id(), view.messageId(), view.endpointId().value(), view.eventType(),
                    view.created(), view.status().json(), view.attemptCount(), view.nextAttemptAt(),
                    view.lastStatusCode(), view.lastError(), payload,
                    view.attempts().stream().map(Attempt::of).toList());
        }
    }
}
