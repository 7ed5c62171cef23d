package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyCommands.ChangeApiKeyIpAllowlist;
import dev.keysmith.keys.ApiKeyCommands.CreateApiKey;
import dev.keysmith.keys.ApiKeyCommands.ExpireApiKey;
import dev.keysmith.keys.ApiKeyCommands.HideApiKey;
import dev.keysmith.keys.ApiKeyCommands.RecordApiKeyUsage;
import dev.keysmith.keys.ApiKeyCommands.RecordApiKeyUsageSpike;
import dev.keysmith.keys.ApiKeyCommands.SettleApiKeyUsage;
import dev.keysmith.keys.ApiKeyCommands.RenameApiKey;
import dev.keysmith.keys.ApiKeyCommands.RevokeApiKey;
import dev.keysmith.keys.ApiKeyCommands.RotateApiKey;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyExpired;
import dev.keysmith.keys.events.ApiKeyHidden;
import dev.keysmith.keys.events.ApiKeyIpAllowlistChanged;
import dev.keysmith.keys.events.ApiKeyRenamed;
import dev.keysmith.keys.events.ApiKeyRevoked;
import dev.keysmith.keys.events.ApiKeyRotated;
import dev.keysmith.keys.events.ApiKeyUsageSettled;
import dev.keysmith.keys.events.ApiKeyUsageSpiked;
import dev.keysmith.keys.events.ApiKeyUsed;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An API key's lifecycle: created, renamed, allowlist changed, rotated (with an optional grace period for the
 * previous secret), revoked, expired, hidden from the list. Every command names its tenant: a key of another
 * tenant answers "not found". Commands on a key that is revoked or expired are refused with the reason.
 */
@Aggregate(snapshotTriggerDefinition = "apiKeySnapshotTrigger")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class ApiKey {

    static final Duration MAX_GRACE = Duration.ofDays(7);

    @AggregateIdentifier
    private ApiKeyId id;
    private TenantId tenantId;
    private String hash;
    private String name;
    private List<String> ips;
    private Instant expires;
    private boolean revoked;
    private boolean expired;
    private boolean hidden;
    private long usage;
    private boolean spiking;

    ApiKey() {
    }

    @CommandHandler
    ApiKey(CreateApiKey command, KeySlots slots) {
        if (!command.temporary()) {
            slots.reserve(command.tenantId(), command.keyId(), command.environment(), command.expires());
        }
        apply(new ApiKeyCreated(command.keyId(), command.tenantId(), command.name(), command.environment(),
                command.brand(), command.ips(), command.expires(), command.hash(), command.prefix(), command.last4(),
                command.temporary()));
    }

    @CommandHandler
    void handle(RenameApiKey command) {
        requireChangeable(command.tenantId());
        if (!command.name().equals(name)) {
            apply(new ApiKeyRenamed(id, tenantId, name, command.name()));
        }
    }

    @CommandHandler
    void handle(ChangeApiKeyIpAllowlist command) {
        requireChangeable(command.tenantId());
        if (!command.ips().equals(ips)) {
            apply(new ApiKeyIpAllowlistChanged(id, tenantId, ips, command.ips()));
        }
    }

    @CommandHandler
    void handle(RotateApiKey command) {
        requireChangeable(command.tenantId());
        Duration grace = command.gracePeriod() == null ? Duration.ZERO : command.gracePeriod();
        if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
            throw new KeysmithException.InvalidInput("gracePeriodSeconds",
                    "The grace period must be between 0 seconds and 7 days (604800 seconds).");
        }
        Instant now = now();
        Instant previousValidUntil = now.plus(grace);
        if (expires != null && previousValidUntil.isAfter(expires)) {
            throw new KeysmithException.InvalidInput("gracePeriodSeconds",
                    "The grace period would end after the key itself expires (" + expires + "): choose a shorter one.");
        }
        apply(new ApiKeyRotated(id, tenantId, command.hash(), command.prefix(), command.last4(),
                hash, previousValidUntil));
    }

    @CommandHandler
    void handle(RevokeApiKey command, KeySlots slots) {
        requireTenant(command.tenantId());
        if (revoked) {
            throw new KeysmithException.Conflict("key_already_revoked", "This key is already revoked.");
        }
        slots.release(id);
        apply(new ApiKeyRevoked(id, tenantId, command.reason()));
    }

    @CommandHandler
    void handle(ExpireApiKey command, KeySlots slots) {
        requireTenant(command.tenantId());
        if (revoked || expired || expires == null || now().isBefore(expires)) {
            return;
        }
        slots.release(id);
        apply(new ApiKeyExpired(id, tenantId, expires));
    }

    /** Usage is recorded whatever the key's state: refusals of a revoked key are part of its history too. */
    @CommandHandler
    void handle(RecordApiKeyUsage command) {
        requireTenant(command.tenantId());
        long count = command.counts().values().stream().mapToLong(Long::longValue).sum();
        if (count <= 0) {
            return;
        }
        List<String> ips = command.ips().size() > ApiKeyUsed.MAX_IPS ? command.ips().subList(0, ApiKeyUsed.MAX_IPS)
                : command.ips();
        apply(new ApiKeyUsed(id, tenantId, command.counts(), count, usage + count, command.firstAt(),
                command.lastAt(), command.lastIp(), List.copyOf(ips)));
    }

    /** Once per episode: a spike reported while one is already recorded changes nothing. */
    @CommandHandler
    void handle(RecordApiKeyUsageSpike command) {
        requireTenant(command.tenantId());
        if (!spiking) {
            apply(new ApiKeyUsageSpiked(id, tenantId, command.detectedAt(), command.ratePerMinute(),
                    command.baselinePerMinute(), command.multiple()));
        }
    }

    @CommandHandler
    void handle(SettleApiKeyUsage command) {
        requireTenant(command.tenantId());
        if (spiking) {
            apply(new ApiKeyUsageSettled(id, tenantId, command.settledAt(), command.ratePerMinute()));
        }
    }

    @CommandHandler
    void handle(HideApiKey command) {
        requireTenant(command.tenantId());
        if (!revoked && !expired && (expires == null || now().isBefore(expires))) {
            throw new KeysmithException.Conflict("key_active",
                    "Only revoked or expired keys can be removed from the list: revoke this key first.");
        }
        if (!hidden) {
            apply(new ApiKeyHidden(id, tenantId));
        }
    }

    private void requireTenant(TenantId caller) {
        if (!tenantId.equals(caller)) {
            throw new KeysmithException.NotFound("key_not_found", "There is no API key with this id in this workspace.");
        }
    }

    private void requireChangeable(TenantId caller) {
        requireTenant(caller);
        if (revoked) {
            throw new KeysmithException.Conflict("key_inactive", "This key is revoked and can no longer be changed.");
        }
        if (expired || (expires != null && !now().isBefore(expires))) {
            throw new KeysmithException.Conflict("key_inactive",
                    "This key expired on " + expires + " and can no longer be changed.");
        }
    }

    private static Instant now() {
        return GenericEventMessage.clock.instant();
    }

    @EventSourcingHandler
    void on(ApiKeyCreated event) {
        id = event.keyId();
        tenantId = event.tenantId();
        hash = event.hash();
        name = event.name();
        ips = event.ips();
        expires = event.expires();
    }

    @EventSourcingHandler
    void on(ApiKeyRotated event) {
        hash = event.hash();
    }

    @EventSourcingHandler
    void on(ApiKeyRenamed event) {
        name = event.to();
    }

    @EventSourcingHandler
    void on(ApiKeyIpAllowlistChanged event) {
        ips = event.to();
    }

    @EventSourcingHandler
    void on(ApiKeyRevoked event) {
        revoked = true;
    }

    @EventSourcingHandler
    void on(ApiKeyExpired event) {
        expired = true;
    }

    @EventSourcingHandler
    void on(ApiKeyHidden event) {
        hidden = true;
    }

    @EventSourcingHandler
    void on(ApiKeyUsageSpiked event) {
        spiking = true;
    }

    @EventSourcingHandler
    void on(ApiKeyUsageSettled event) {
        spiking = false;
    }

    @EventSourcingHandler
    void on(ApiKeyUsed event) {
        usage = event.totalCount();
    }
}
