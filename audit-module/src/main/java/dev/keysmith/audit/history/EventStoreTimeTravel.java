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
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Time travel over the event store: each key is folded from its own events (read from the storage engine from
 * sequence 0, never from a snapshot) up to the instant; the tenant's key ids come from the audit trail.
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
                        : after.revocationReason().name().toLowerCase(java.util.Locale.ROOT)));
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
