package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyCommands.ChangeApiKeyIpAllowlist;
import dev.keysmith.keys.ApiKeyCommands.CreateApiKey;
import dev.keysmith.keys.ApiKeyCommands.HideApiKey;
import dev.keysmith.keys.ApiKeyCommands.RenameApiKey;
import dev.keysmith.keys.ApiKeyCommands.RevokeApiKey;
import dev.keysmith.keys.ApiKeyCommands.RotateApiKey;
import dev.keysmith.keys.AggregateReads;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.Inputs;
import dev.keysmith.keys.IpAllowlist;
import dev.keysmith.keys.KeyIndex;
import dev.keysmith.keys.KeySecrets;
import dev.keysmith.keys.KeysProperties;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.Projections;
import dev.keysmith.keys.RevocationReason;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.TenantTerms;
import dev.keysmith.keys.VerifiedKey;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

@Service
class ApiKeyService implements ApiKeys {

    static final int MAX_LIMIT = 64;
    static final int MAX_ATTEMPTS = 3;
    static final Duration MAX_LIFETIME = Duration.ofDays(3660);
    private static final Pattern PERSON_NAME = Pattern.compile("^\\p{Lu}\\p{Ll}+(?: \\p{Lu}\\.?)?(?: \\p{Lu}\\p{Ll}+){1,2}$");

    private final CommandGateway commands;
    private final ApiKeyTableProjection table;
    private final TenantTerms tenants;
    private final KeyIndex index;
    private final Projections projections;
    private final KeysProperties properties;
    private final Configuration axon;
    private final Map<TenantId, Bucket> buckets = new ConcurrentHashMap<>();

    ApiKeyService(CommandGateway commands, ApiKeyTableProjection table, TenantTerms tenants, KeyIndex index,
                  Projections projections, KeysProperties properties, Configuration axon) {
        this.commands = commands;
        this.table = table;
        this.tenants = tenants;
        this.index = index;
        this.projections = projections;
        this.properties = properties;
        this.axon = axon;
    }

    @Override
    public IssuedKey create(TenantId tenantId, NewKey request) {
        TenantTerms.Terms tenant = tenants.of(tenantId)
                .orElseThrow(() -> new KeysmithException.NotFound("tenant_not_found", "No such workspace."));
        Inputs.Check check = new Inputs.Check();
        String name = check.get(() -> Inputs.name("name", "Name", request.name()));
        Environment environment = check.get(() -> Environment.parse(request.environment()));
        IpAllowlist ips = check.get(() -> IpAllowlist.parse(request.ips()));
        String brand = check.get(() -> brand(tenant.brands(), request.brand()));
        check.get(() -> expiry(request.expires()));
        check.done();
        if (!tenant.plan().hasApiAccess()) {
            throw new KeysmithException.Forbidden("plan_upgrade_required",
                    "Upgrade required: the Free plan has no API keys. An owner can choose Pro or Enterprise in Settings.");
        }
        KeySecrets.NewSecret secret = KeySecrets.generate(environment);
        ApiKeyView key = spendThenSend(tenantId, new CreateApiKey(ApiKeyId.generate(), tenantId, name, environment,
                brand, ips.entries(), request.expires(), secret.hash(), secret.prefix(), secret.last4(), false,
                tenant.plan()));
        return new IssuedKey(key, secret.plaintext());
    }

    @Override
    public IssuedKey rotate(TenantId tenantId, ApiKeyId keyId, Duration gracePeriod) {
        return spendThenSend(tenantId, new RotateApiKey(keyId, tenantId, gracePeriod));
    }

    @Override
    public ApiKeyView update(TenantId tenantId, ApiKeyId keyId, String name, List<String> ips) {
        Inputs.Check check = new Inputs.Check();
        String newName = name == null ? null : check.get(() -> Inputs.name("name", "Name", name));
        IpAllowlist newIps = ips == null ? null : check.get(() -> IpAllowlist.parse(ips));
        check.done();
        if (newName == null && newIps == null) {
            return fromHistory(tenantId, keyId).orElseThrow(ApiKeyService::notFound);
        }
        ApiKeyView key = null;
        if (newName != null) {
            key = send(new RenameApiKey(keyId, tenantId, newName));
        }
        if (newIps != null) {
            key = send(new ChangeApiKeyIpAllowlist(keyId, tenantId, newIps.entries()));
        }
        return key;
    }

    @Override
    public void revoke(TenantId tenantId, ApiKeyId keyId, RevocationReason reason) {
        send(new RevokeApiKey(keyId, tenantId, reason == null ? RevocationReason.MANUAL : reason));
    }

    @Override
    public void hide(TenantId tenantId, ApiKeyId keyId) {
        send(new HideApiKey(keyId, tenantId));
    }

    @Override
    public Optional<ApiKeyView> find(TenantId tenantId, ApiKeyId keyId) {
        return table.find(tenantId, keyId);
    }

    @Override
    public Environment environment(TenantId tenantId, ApiKeyId keyId) {
        VerifiedKey indexed = index.key(keyId);
        if (indexed != null) {
            if (!indexed.tenantId().equals(tenantId)) {
                throw notFound();
            }
            return indexed.environment();
        }
        return fromHistory(tenantId, keyId).map(ApiKeyView::environment).orElseThrow(ApiKeyService::notFound);
    }

    /** The key as its own events make it (the event store, not the key table); empty for another tenant's key. */
    private Optional<ApiKeyView> fromHistory(TenantId tenantId, ApiKeyId keyId) {
        return AggregateReads.read(axon.repository(ApiKey.class), keyId.value(), ApiKey::view)
                .filter(key -> key.tenantId().equals(tenantId));
    }

    @Override
    public List<ApiKeyView> list(TenantId tenantId, Environment environment, int offset, int limit,
                                 boolean includeHidden) {
        if (offset < 0) {
            throw new KeysmithException.InvalidInput("offset", "offset must be 0 or more; it is " + offset + ".");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new KeysmithException.InvalidInput("limit",
                    "limit must be between 1 and " + MAX_LIMIT + "; it is " + limit + ".");
        }
        return table.list(tenantId, environment, offset, limit, includeHidden);
    }

    @Override
    public IssuedKey createTemporary(long teamNumber, String subaccount, boolean testMode) {
        KeyIndex.TenantEntry tenant = index.tenantByTeamNumber(teamNumber);
        if (tenant == null) {
            throw new KeysmithException.NotFound("team_not_found", "There is no team " + teamNumber + ".");
        }
        if (!tenant.plan().hasApiAccess()) {
            throw new KeysmithException.Forbidden("plan_upgrade_required",
                    "Upgrade required: team " + teamNumber + " is on the Free plan, which has no API access.");
        }
        String label = subaccount == null || subaccount.isBlank() ? "" : " (" + Inputs.abbreviate(subaccount.strip()) + ")";
        String name = Inputs.name("subaccount", "Subaccount", "Temporary key" + label);
        Environment environment = testMode ? Environment.SANDBOX : Environment.PRODUCTION;
        ApiKeyId keyId = ApiKeyId.generate();
        KeySecrets.NewSecret secret = KeySecrets.generate(environment);
        Instant expires = Instant.now().plus(properties.temporaryKeyTtl());
        CreateApiKey command = new CreateApiKey(keyId, tenant.tenantId(), name, environment, null, List.of(), expires,
                secret.hash(), secret.prefix(), secret.last4(), true, tenant.plan());
        ApiKeyView key = send(command);
        return new IssuedKey(key, secret.plaintext());
    }

    @Override
    public Optional<String> nameHint(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String value = name.strip();
        if (value.contains("@")) {
            return Optional.of("This looks like an email address. Name a key after the system that uses it "
                    + "(e.g. \"Billing service\"): people change teams, systems stay.");
        }
        if (PERSON_NAME.matcher(value).matches()) {
            return Optional.of("This looks like a person's name. Name a key after the system that uses it "
                    + "(e.g. \"Billing service\"): people change teams, systems stay.");
        }
        return Optional.empty();
    }

    private static String brand(List<String> brands, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String wanted = raw.strip();
        return brands.stream().filter(brand -> brand.equalsIgnoreCase(wanted)).findFirst()
                .orElseThrow(() -> new KeysmithException.InvalidInput("brand", "Unknown brand \""
                        + Inputs.abbreviate(wanted) + "\": add it in Settings first"
                        + (brands.isEmpty() ? "." : ", or use one of " + String.join(", ", brands) + ".")));
    }

    private static Instant expiry(Instant expires) {
        if (expires == null) {
            return null;
        }
        Instant now = Instant.now();
        if (!expires.isAfter(now)) {
            throw new KeysmithException.InvalidInput("expires", "The expiry " + expires + " is in the past: "
                    + "choose a future date, or none for a key that does not expire.");
        }
        if (expires.isAfter(now.plus(MAX_LIFETIME))) {
            throw new KeysmithException.InvalidInput("expires", "The expiry must be within 10 years.");
        }
        return expires;
    }

    /**
     * Takes one of the tenant's per-minute creates and rotations, then sends; a command the domain refuses
     * (limit reached, grace too long, key revoked...) gives its token back, so only real changes count.
     */
    private <R> R spendThenSend(TenantId tenantId, Object command) {
        int perMinute = properties.managementPerMinute();
        Bucket bucket = buckets.computeIfAbsent(tenantId, id -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
            throw new KeysmithException.RateLimited("Too many key creations and rotations: this workspace may make "
                    + perMinute + " per minute. Try again in " + seconds + " seconds.", seconds);
        }
        try {
            return send(command);
        } catch (KeysmithException refused) {
            bucket.addTokens(1);
            throw refused;
        }
    }

    /**
     * Sends the command (again, up to {@value #MAX_ATTEMPTS} times, when another node changed the key at the same
     * moment) and answers with its result: the key as the aggregate holds it after the change, from the
     * event store alone (so commands work while MongoDB is away). Then waits, briefly, for this node's projections
     * to catch up, so the caller's next read shows the change (read your writes); a projection that cannot catch
     * up (its store is away) does not hold the answer back beyond that wait.
     */
    private <R> R send(Object command) {
        R result;
        for (int attempt = 1; ; attempt++) {
            try {
                result = commands.sendAndWait(command);
                break;
            } catch (AggregateNotFoundException e) {
                throw notFound();
            } catch (ConcurrencyException e) {
                // another node appended to the key meanwhile, most often its usage flush (ApiKeyUsed): the command is
                // decided again on the key's new state; after MAX_ATTEMPTS the caller gets 409 and may retry
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
        projections.awaitCurrent();
        return result;
    }

    private static KeysmithException notFound() {
        return new KeysmithException.NotFound("key_not_found", "There is no API key with this id in this workspace.");
    }

}
