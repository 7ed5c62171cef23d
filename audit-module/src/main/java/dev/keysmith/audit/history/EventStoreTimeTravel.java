package dev.keysmith.audit.history;

import dev.keysmith.audit.TimeTravel;
import dev.keysmith.audit.trail.TrailSubjects;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.RevocationReason;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyHidden;
import dev.keysmith.keys.events.ApiKeyIpAllowlistChanged;
import dev.keysmith.keys.events.ApiKeyRenamed;
import dev.keysmith.keys.events.ApiKeyRevoked;
import dev.keysmith.keys.events.ApiKeyRotated;
import dev.keysmith.keys.events.ApiKeyUsageSettled;
import dev.keysmith.keys.events.ApiKeyUsageSpiked;
import dev.keysmith.keys.events.ApiKeyUsed;
import dev.keysmith.webhooks.DisableReason;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.WebhookEndpointId;
import dev.keysmith.webhooks.events.WebhookEndpointCreated;
import dev.keysmith.webhooks.events.WebhookEndpointDeleted;
import dev.keysmith.webhooks.events.WebhookEndpointDisabled;
import dev.keysmith.webhooks.events.WebhookEndpointEnabled;
import dev.keysmith.webhooks.events.WebhookEndpointUpdated;
import dev.keysmith.webhooks.events.WebhookSecretRotated;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Time travel over the event store: each key and webhook endpoint is folded from its own events (read from the
 * storage engine from sequence 0, never from a snapshot) up to the instant; the tenant's ids come from the audit
 * trail.
 */
@Component
class EventStoreTimeTravel implements TimeTravel {

    private final EventStorageEngine events;
    private final TrailSubjects subjects;

    EventStoreTimeTravel(EventStorageEngine events, TrailSubjects subjects) {
        this.events = events;
        this.subjects = subjects;
    }

    @Override
    public List<ApiKeyView> keysAt(TenantId tenantId, Instant at) {
        List<ApiKeyView> keys = new ArrayList<>();
        for (String id : subjects.keyIds(tenantId)) {
            fold(tenantId, id, at).ifPresent(keys::add);
        }
        keys.sort(Comparator.comparing(ApiKeyView::created).thenComparing(key -> key.id().value()));
        return keys;
    }

    @Override
    public Optional<ApiKeyView> keyAt(TenantId tenantId, ApiKeyId keyId, Instant at) {
        return fold(tenantId, keyId.value(), at);
    }

    @Override
    public List<KeyChange> diff(TenantId tenantId, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new KeysmithException.InvalidInput("to", "to must be later than from.");
        }
        Map<String, ApiKeyView> before = new LinkedHashMap<>();
        keysAt(tenantId, from).forEach(key -> before.put(key.id().value(), key));
        List<KeyChange> changes = new ArrayList<>();
        for (ApiKeyView after : keysAt(tenantId, to)) {
            ApiKeyView was = before.get(after.id().value());
            if (was == null) {
                changes.add(change(after, "added", null, after.environment().label()
                        + (after.expires() == null ? "" : ", expires " + after.expires())));
                // what happened to it since: compared with the key as it was created
                was = fold(tenantId, after.id().value(), after.created()).orElse(after);
            }
            if (!Objects.equals(was.name(), after.name())) {
                changes.add(change(after, "renamed", was.name(), after.name()));
            }
            if (!Objects.equals(was.ips(), after.ips())) {
                changes.add(change(after, "ips_changed", String.join(", ", was.ips()), String.join(", ", after.ips())));
            }
            if (!Objects.equals(was.rotatedAt(), after.rotatedAt())) {
                changes.add(change(after, "rotated", was.masked(), after.masked()));
            }
            if (was.revokedAt() == null && after.revokedAt() != null) {
                changes.add(change(after, "revoked", null, after.revocationReason() == null ? null
                        : after.revocationReason().name().toLowerCase(Locale.ROOT)));
            } else if (was.status(from) != ApiKeyView.Status.EXPIRED && after.revokedAt() == null
                    && after.status(to) == ApiKeyView.Status.EXPIRED) {
                changes.add(change(after, "expired", null, String.valueOf(after.expires())));
            }
            if (!was.hidden() && after.hidden()) {
                changes.add(change(after, "removed_from_list", null, null));
            }
        }
        return changes;
    }

    private static KeyChange change(ApiKeyView key, String change, String before, String after) {
        return new KeyChange(key.id().value(), key.name(), key.masked(), key.environment().json(), change, before,
                after);
    }

    /** The key as it was at {@code at}: empty if it did not exist yet or is not the tenant's. */
    Optional<ApiKeyView> fold(TenantId tenantId, String keyId, Instant at) {
        KeyState state = null;
        DomainEventStream stream = events.readEvents(keyId, 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            if (event.getTimestamp().isAfter(at)) {
                break;
            }
            Object payload = event.getPayload();
            if (payload instanceof ApiKeyCreated created) {
                if (!created.tenantId().equals(tenantId)) {
                    return Optional.empty();
                }
                state = new KeyState(created, event.getTimestamp());
            } else if (state != null) {
                state.apply(payload, event.getTimestamp());
            }
        }
        return Optional.ofNullable(state).map(KeyState::view);
    }

    // ---- webhook endpoints --------------------------------------------------------------------------------------

    @Override
    public List<EndpointAt> endpointsAt(TenantId tenantId, Instant at) {
        List<EndpointAt> endpoints = new ArrayList<>();
        for (String id : subjects.endpointIds(tenantId)) {
            foldEndpoint(tenantId, id, at).ifPresent(endpoints::add);
        }
        endpoints.sort(Comparator.comparing(EndpointAt::created).thenComparing(endpoint -> endpoint.id().value()));
        return endpoints;
    }

    @Override
    public Optional<EndpointAt> endpointAt(TenantId tenantId, WebhookEndpointId endpointId, Instant at) {
        return foldEndpoint(tenantId, endpointId.value(), at);
    }

    @Override
    public List<EndpointChange> endpointDiff(TenantId tenantId, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new KeysmithException.InvalidInput("to", "to must be later than from.");
        }
        Map<String, EndpointAt> before = new LinkedHashMap<>();
        endpointsAt(tenantId, from).forEach(endpoint -> before.put(endpoint.id().value(), endpoint));
        List<EndpointChange> changes = new ArrayList<>();
        for (EndpointAt after : endpointsAt(tenantId, to)) {
            EndpointAt was = before.get(after.id().value());
            if (was != null && was.deleted()) {
                continue;
            }
            if (was == null) {
                EndpointAt created = foldEndpoint(tenantId, after.id().value(), after.created()).orElse(after);
                changes.add(change(after, "added", null, summary(created)));
                // what happened to it since: compared with the endpoint as it was created
                was = created;
            }
            List<String> wasFields = new ArrayList<>();
            List<String> nowFields = new ArrayList<>();
            compare("name", was.name(), after.name(), wasFields, nowFields);
            compare("url", was.url(), after.url(), wasFields, nowFields);
            compare("environment", was.environment().json(), after.environment().json(), wasFields, nowFields);
            compare("events", String.join(", ", was.eventTypes()), String.join(", ", after.eventTypes()), wasFields,
                    nowFields);
            if (!nowFields.isEmpty()) {
                changes.add(change(after, "updated", String.join("; ", wasFields), String.join("; ", nowFields)));
            }
            if (was.secretVersion() != after.secretVersion()) {
                changes.add(change(after, "secret_rotated", "v" + was.secretVersion(), "v" + after.secretVersion()));
            }
            if (was.enabled() && !after.enabled()) {
                changes.add(change(after, "disabled", null, after.disabledReason() == null ? null
                        : after.disabledReason().json()));
            } else if (!was.enabled() && after.enabled()) {
                changes.add(change(after, "enabled", was.disabledReason() == null ? null
                        : was.disabledReason().json(), null));
            }
            if (after.deleted()) {
                changes.add(change(after, "deleted", null, null));
            }
        }
        return changes;
    }

    private static void compare(String field, String was, String now, List<String> wasFields,
                                List<String> nowFields) {
        if (!Objects.equals(was, now)) {
            wasFields.add(field + " " + was);
            nowFields.add(field + " " + now);
        }
    }

    private static String summary(EndpointAt endpoint) {
        return endpoint.environment().label() + ", events " + String.join(", ", endpoint.eventTypes())
                + ", secret v" + endpoint.secretVersion();
    }

    private static EndpointChange change(EndpointAt endpoint, String change, String before, String after) {
        return new EndpointChange(endpoint.id().value(), endpoint.name(), endpoint.url(),
                endpoint.environment().json(), change, before, after);
    }

    /** The endpoint as it was at {@code at}: empty if it did not exist yet or is not the tenant's. */
    Optional<EndpointAt> foldEndpoint(TenantId tenantId, String endpointId, Instant at) {
        EndpointState state = null;
        DomainEventStream stream = events.readEvents(endpointId, 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            if (event.getTimestamp().isAfter(at)) {
                break;
            }
            Object payload = event.getPayload();
            if (payload instanceof WebhookEndpointCreated created) {
                if (!created.tenantId().equals(tenantId)) {
                    return Optional.empty();
                }
                state = new EndpointState(created, event.getTimestamp());
            } else if (state != null) {
                state.apply(payload, event.getTimestamp());
            }
        }
        return Optional.ofNullable(state).map(EndpointState::view);
    }

    /** An endpoint being folded; the same rules as the endpoint aggregate and the endpoint table. */
    private static final class EndpointState {
        private final WebhookEndpointId id;
        private final Instant created;
        private String name;
        private String url;
        private Environment environment;
        private List<EventType> events;
        private boolean enabled = true;
        private DisableReason disabledReason;
        private String disabledDetail;
        private Instant updated;
        private int secretVersion;
        private String secretFingerprint;
        private Instant secretRotatedAt;
        private Instant previousSecretValidUntil;
        private Instant deletedAt;

        EndpointState(WebhookEndpointCreated event, Instant at) {
            this.id = event.endpointId();
            this.created = at;
            this.name = event.name();
            this.url = event.url();
            this.environment = event.environment();
            this.events = event.events() == null ? List.of() : List.copyOf(event.events());
            this.secretVersion = event.secretVersion();
            this.secretFingerprint = event.secretFingerprint();
        }

        void apply(Object payload, Instant at) {
            if (payload instanceof WebhookEndpointUpdated changed) {
                name = changed.name();
                url = changed.url();
                environment = changed.environment();
                events = changed.events() == null ? List.of() : List.copyOf(changed.events());
                updated = at;
            } else if (payload instanceof WebhookEndpointEnabled) {
                enabled = true;
                disabledReason = null;
                disabledDetail = null;
            } else if (payload instanceof WebhookEndpointDisabled disabled) {
                enabled = false;
                disabledReason = disabled.reason();
                disabledDetail = disabled.detail();
            } else if (payload instanceof WebhookSecretRotated rotated) {
                secretVersion = rotated.secretVersion();
                secretFingerprint = rotated.secretFingerprint();
                secretRotatedAt = at;
                previousSecretValidUntil = rotated.previousValidUntil();
            } else if (payload instanceof WebhookEndpointDeleted) {
                deletedAt = at;
            }
        }

        EndpointAt view() {
            return new EndpointAt(id, name, url, environment, events, enabled, disabledReason, disabledDetail, created,
                    updated, secretVersion, secretFingerprint, secretRotatedAt, previousSecretValidUntil,
                    deletedAt != null, deletedAt);
        }
    }

    /** A key being folded; the same rules as the key table. */
    private static final class KeyState {
        private final ApiKeyCreated created;
        private final Instant createdAt;
        private String name;
        private List<String> ips;
        private String prefix;
        private String last4;
        private Instant lastUsed;
        private long usageCount;
        private Instant rotatedAt;
        private Instant previousValidUntil;
        private Instant revokedAt;
        private RevocationReason reason;
        private boolean hidden;
        private boolean spiking;

        KeyState(ApiKeyCreated created, Instant at) {
            this.created = created;
            this.createdAt = at;
            this.name = created.name();
            this.ips = created.ips() == null ? List.of() : created.ips();
            this.prefix = created.prefix();
            this.last4 = created.last4();
        }

        void apply(Object payload, Instant at) {
            if (payload instanceof ApiKeyRenamed renamed) {
                name = renamed.to();
            } else if (payload instanceof ApiKeyIpAllowlistChanged changed) {
                ips = changed.to() == null ? List.of() : changed.to();
            } else if (payload instanceof ApiKeyRotated rotated) {
                prefix = rotated.prefix();
                last4 = rotated.last4();
                rotatedAt = at;
                previousValidUntil = rotated.previousValidUntil();
            } else if (payload instanceof ApiKeyRevoked revoked) {
                revokedAt = at;
                reason = revoked.reason();
            } else if (payload instanceof ApiKeyUsed used) {
                lastUsed = lastUsed == null || used.lastAt().isAfter(lastUsed) ? used.lastAt() : lastUsed;
                usageCount = Math.max(usageCount, used.totalCount());
            } else if (payload instanceof ApiKeyHidden) {
                hidden = true;
            } else if (payload instanceof ApiKeyUsageSpiked) {
                spiking = true;
            } else if (payload instanceof ApiKeyUsageSettled) {
                spiking = false;
            }
        }

        ApiKeyView view() {
            Environment environment = created.environment();
            return new ApiKeyView(created.keyId(), created.tenantId(), name, environment, created.brand(), ips, prefix,
                    last4, createdAt, created.expires(), lastUsed, usageCount, rotatedAt, previousValidUntil,
                    revokedAt, reason, created.temporary(), hidden, spiking);
        }
    }
}
