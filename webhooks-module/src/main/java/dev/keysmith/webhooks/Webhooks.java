package dev.keysmith.webhooks;

import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.TenantId;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The webhooks facade: a tenant's endpoints and their delivery log. Every method is scoped to the tenant given; an
 * endpoint of another tenant is not found. Secrets are returned once, by {@link #create} and {@link #rotateSecret}.
 */
public interface Webhooks {

    /** What a person asks for; the environment and event types as typed (validated here). */
    record EndpointSpec(String name, String url, String environment, List<String> events) {
    }

    /** An endpoint with its signing secret ({@code whsec_...}), shown this once. */
    record IssuedSecret(WebhookEndpointView endpoint, String secret) {
    }

    /** A page of deliveries, newest first, and the cursor of the next page (null at the end). */
    record DeliveryPage(List<DeliveryView> items, String next) {
    }

    /** Filters of the delivery log; null means any. */
    record DeliveryFilter(DeliveryView.Status status, EventType eventType, Instant from, Instant to) {
        public static final DeliveryFilter ANY = new DeliveryFilter(null, null, null, null);
    }

    IssuedSecret create(TenantId tenantId, EndpointSpec spec);

    /** Changes name, URL, environment and/or event types (null: unchanged). */
    WebhookEndpointView update(TenantId tenantId, WebhookEndpointId id, EndpointSpec change);

    WebhookEndpointView enable(TenantId tenantId, WebhookEndpointId id);

    WebhookEndpointView disable(TenantId tenantId, WebhookEndpointId id);

    void delete(TenantId tenantId, WebhookEndpointId id);

    /** A new secret; the previous one keeps signing (a second signature) for {@code overlap}. */
    IssuedSecret rotateSecret(TenantId tenantId, WebhookEndpointId id, Duration overlap);

    /** Queues a {@code webhook.test} message to this endpoint; returns its delivery. */
    DeliveryView sendTest(TenantId tenantId, WebhookEndpointId id);

    Optional<WebhookEndpointView> find(TenantId tenantId, WebhookEndpointId id);

    List<WebhookEndpointView> list(TenantId tenantId);

    DeliveryPage deliveries(TenantId tenantId, WebhookEndpointId id, DeliveryFilter filter, String cursor, int limit);

    Optional<DeliveryView> delivery(TenantId tenantId, WebhookEndpointId id, String deliveryId);

    /** Sends the same message (same {@code webhook-id}, same body, newly signed) again, now. */
    DeliveryView resend(TenantId tenantId, WebhookEndpointId id, String deliveryId);

    /** Resends every failed delivery of this endpoint created in [from, to); returns how many. */
    int redeliverFailed(TenantId tenantId, WebhookEndpointId id, Instant from, Instant to);

    static KeysmithException endpointNotFound() {
        return new KeysmithException.NotFound("webhook_not_found",
                "There is no webhook endpoint with this id in this workspace.");
    }

    static KeysmithException deliveryNotFound() {
        return new KeysmithException.NotFound("delivery_not_found",
                "There is no delivery with this id for this endpoint.");
    }
}
