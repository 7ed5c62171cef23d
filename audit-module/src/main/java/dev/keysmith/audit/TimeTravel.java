package dev.keysmith.audit;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.DisableReason;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.WebhookEndpointId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The tenant's keys and webhook endpoints as they were at a past instant, folded from the event store (each
 * aggregate's own events up to that instant; the ids from the trail), and what changed between two instants (for
 * access reviews).
 */
public interface TimeTravel {

    /** Every key that existed at {@code at}, oldest first, as it was then (status as of {@code at}). */
    List<ApiKeyView> keysAt(TenantId tenantId, Instant at);

    Optional<ApiKeyView> keyAt(TenantId tenantId, ApiKeyId keyId, Instant at);

    /** The changes between {@code from} (exclusive) and {@code to} (inclusive), key by key. */
    List<KeyChange> diff(TenantId tenantId, Instant from, Instant to);

    /**
     * One change of one key between two instants: {@code change} is added, renamed, ips_changed, rotated, revoked,
     * expired or removed_from_list; {@code before} / {@code after} say from what to what, where that means something.
     */
    record KeyChange(String keyId, String name, String prefix, String environment, String change, String before,
                     String after) {
    }

    /** Every webhook endpoint that existed at {@code at} (deleted ones marked), oldest first, as it was then. */
    List<EndpointAt> endpointsAt(TenantId tenantId, Instant at);

    /** The endpoint as it was at {@code at}: empty if it did not exist yet or is not the tenant's. */
    Optional<EndpointAt> endpointAt(TenantId tenantId, WebhookEndpointId endpointId, Instant at);

    /** The endpoints' changes between {@code from} (exclusive) and {@code to} (inclusive), endpoint by endpoint. */
    List<EndpointChange> endpointDiff(TenantId tenantId, Instant from, Instant to);

    /**
     * A webhook endpoint as it was at an instant. Of its signing secret only what the events hold: the version, its
     * fingerprint ({@code sha256:} and 12 hex digits), when it was last rotated and until when the previous version
     * still signed. {@code updated} is its last change of name, URL, environment or event types.
     */
    record EndpointAt(WebhookEndpointId id, String name, String url, Environment environment, List<EventType> events,
                      boolean enabled, DisableReason disabledReason, String disabledDetail, Instant created,
                      Instant updated, int secretVersion, String secretFingerprint, Instant secretRotatedAt,
                      Instant previousSecretValidUntil, boolean deleted, Instant deletedAt) {

        /** {@code deleted}, {@code disabled} or {@code enabled}. */
        public String status() {
            return deleted ? "deleted" : enabled ? "enabled" : "disabled";
        }

        /** The subscribed types as they are written in messages ({@code key.created}...). */
        public List<String> eventTypes() {
            return events.stream().map(EventType::type).toList();
        }
    }

    /**
     * One change of one endpoint between two instants: {@code change} is added, updated, disabled, enabled,
     * secret_rotated or deleted; {@code before} / {@code after} say from what to what, where that means something.
     */
    record EndpointChange(String endpointId, String name, String url, String environment, String change,
                          String before, String after) {
    }
}
