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
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.ApiKeys.IssuedKey;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeySecrets;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.RevocationReason;
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
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An API key's lifecycle: created, renamed, allowlist changed, rotated (with an optional grace period for the
 * previous secret), revoked, expired, hidden from the list. Every command names its tenant: a key of another
 * tenant answers "not found". Commands on a key that is revoked or expired are refused with the reason.
 * <p>
 * The aggregate holds the whole key as the key table shows it, and the commands that change it answer with it: the
 * caller of a command learns the result from the event store alone, so key commands keep working while MongoDB,
 * where the key table lives, is away. Revision 2 added that state: snapshots of revision 1 are ignored (Axon's
 * revision snapshot filter) and the key is sourced from its events instead.
 */
@Aggregate(snapshotTriggerDefinition = "apiKeySnapshotTrigger")
@Revision("2")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class ApiKey {

    static final Duration MAX_GRACE = Duration.ofDays(7);

    @AggregateIdentifier
    private ApiKeyId id;
    private TenantId tenantId;
    private String hash;
    private String name;
    private Environment environment;
    private String brand;
    private List<String> ips;
    private String prefix;
    private String last4;
    private Instant created;
    private Instant expires;
    private Instant lastUsed;
    private Instant rotatedAt;
    private Instant previousValidUntil;
    private Instant revokedAt;
    private RevocationReason revocationReason;
    private boolean temporary;
    private boolean revoked;
    private boolean expired;
    private boolean hidden;
    private long usage;
    private boolean spiking;

    ApiKey() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    ApiKeyView handle(CreateApiKey command, KeySlots slots) {
        if (!command.temporary()) {
            slots.reserve(command.tenantId(), command.plan(), command.keyId(), command.environment(), command.expires());
        }
        apply(new ApiKeyCreated(command.keyId(), command.tenantId(), command.name(), command.environment(),
                command.brand(), command.ips(), command.expires(), command.hash(), command.prefix(), command.last4(),
                command.temporary()));
        return view();
    }

    @CommandHandler
    ApiKeyView handle(RenameApiKey command) {
        requireChangeable(command.tenantId());
        if (!command.name().equals(name)) {
            apply(new ApiKeyRenamed(id, tenantId, name, command.name()));
        }
        return view();
    }

    @CommandHandler
    ApiKeyView handle(ChangeApiKeyIpAllowlist command) {
        requireChangeable(command.tenantId());
        if (!command.ips().equals(ips)) {
            apply(new ApiKeyIpAllowlistChanged(id, tenantId, ips, command.ips()));
        }
        return view();
    }

    /** A new secret of the key's own environment, shown once: it travels in the command's result, never in an event. */
    @CommandHandler
    IssuedKey handle(RotateApiKey command, SecretIssuer secrets) {
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
        KeySecrets.NewSecret secret = secrets.issue(environment);
        apply(new ApiKeyRotated(id, tenantId, secret.hash(), secret.prefix(), secret.last4(), hash, previousValidUntil));
        return new IssuedKey(view(), secret.plaintext());
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

    /** The key as the key table shows it (instants to the millisecond, as the table stores them). */
    ApiKeyView view() {
        return new ApiKeyView(id, tenantId, name, environment, brand, ips, prefix, last4, millis(created),
                millis(expires), millis(lastUsed), usage, millis(rotatedAt), millis(previousValidUntil),
                millis(revokedAt), revocationReason, temporary, hidden, spiking);
    }

    private static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }

    @EventSourcingHandler
    void on(ApiKeyCreated event, @Timestamp Instant at) {
        id = event.keyId();
        tenantId = event.tenantId();
        hash = event.hash();
        name = event.name();
        environment = event.environment();
        brand = event.brand();
        ips = event.ips();
        prefix = event.prefix();
        last4 = event.last4();
        created = at;
        expires = event.expires();
        temporary = event.temporary();
    }

    @EventSourcingHandler
    void on(ApiKeyRotated event, @Timestamp Instant at) {
        hash = event.hash();
        prefix = event.prefix();
        last4 = event.last4();
        rotatedAt = at;
        previousValidUntil = event.previousValidUntil();
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
    void on(ApiKeyRevoked event, @Timestamp Instant at) {
        revoked = true;
        revokedAt = at;
        revocationReason = event.reason();
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
        usage = Math.max(usage, event.totalCount());
        lastUsed = lastUsed == null || event.lastAt().isAfter(lastUsed) ? event.lastAt() : lastUsed;
    }
}
