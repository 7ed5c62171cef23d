package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyCommands.ChangeApiKeyIpAllowlist;
import dev.keysmith.keys.ApiKeyCommands.CreateApiKey;
import dev.keysmith.keys.ApiKeyCommands.HideApiKey;
import dev.keysmith.keys.ApiKeyCommands.RenameApiKey;
import dev.keysmith.keys.ApiKeyCommands.RevokeApiKey;
import dev.keysmith.keys.ApiKeyCommands.RotateApiKey;
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
import dev.keysmith.keys.TenantDirectory;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.TenantView;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

@Service
class ApiKeyService implements ApiKeys {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyService.class);

    static final int MAX_LIMIT = 64;
    static final Duration MAX_LIFETIME = Duration.ofDays(3660);
    private static final Pattern PERSON_NAME = Pattern.compile("^\\p{Lu}\\p{Ll}+(?: \\p{Lu}\\.?)?(?: \\p{Lu}\\p{Ll}+){1,2}$");

    private final CommandGateway commands;
    private final ApiKeyTableProjection table;
    private final TenantDirectory directory;
    private final KeyIndex index;
    private final Projections projections;
    private final KeysProperties properties;
    private final Map<TenantId, Bucket> buckets = new ConcurrentHashMap<>();

    ApiKeyService(CommandGateway commands, ApiKeyTableProjection table, TenantDirectory directory, KeyIndex index,
                  Projections projections, KeysProperties properties) {
        this.commands = commands;
        this.table = table;
        this.directory = directory;
        this.index = index;
        this.projections = projections;
        this.properties = properties;
    }

    @Override
    public IssuedKey create(TenantId tenantId, NewKey request) {
        TenantView tenant = directory.tenant(tenantId)
                .orElseThrow(() -> new KeysmithException.NotFound("tenant_not_found", "No such workspace."));
        Inputs.Check check = new Inputs.Check();
        String name = check.get(() -> Inputs.name("name", "Name", request.name()));
        Environment environment = check.get(() -> Environment.parse(request.environment()));
        IpAllowlist ips = check.get(() -> IpAllowlist.parse(request.ips()));
        String brand = check.get(() -> brand(tenant, request.brand()));
        check.get(() -> expiry(request.expires()));
        check.done();
        if (!tenant.plan().hasApiAccess()) {
            throw new KeysmithException.Forbidden("plan_upgrade_required",
                    "Upgrade required: the Free plan has no API keys. An owner can choose Pro or Enterprise in Settings.");
        }
        ApiKeyId keyId = ApiKeyId.generate();
        KeySecrets.NewSecret secret = KeySecrets.generate(environment);
        CreateApiKey command = new CreateApiKey(keyId, tenantId, name, environment, brand, ips.entries(),
                request.expires(), secret.hash(), secret.prefix(), secret.last4(), false);
        Instant now = GenericEventMessage.clock.instant();
        boolean current = spendThenDispatch(tenantId, command);
        return new IssuedKey(view(tenantId, keyId, current, () -> created(command, now)), secret.plaintext());
    }

    @Override
    public IssuedKey rotate(TenantId tenantId, ApiKeyId keyId, Duration gracePeriod) {
        ApiKeyView key = require(tenantId, keyId);
        KeySecrets.NewSecret secret = KeySecrets.generate(key.environment());
        Instant now = GenericEventMessage.clock.instant();
        boolean current = spendThenDispatch(tenantId, new RotateApiKey(keyId, tenantId, secret.hash(), secret.prefix(),
                secret.last4(), gracePeriod));
        return new IssuedKey(view(tenantId, keyId, current, () -> new ApiKeyView(keyId, tenantId, key.name(),
                key.environment(), key.brand(), key.ips(), secret.prefix(), secret.last4(), key.created(), key.expires(),
                key.lastUsed(), key.usageCount(), now, now.plus(gracePeriod == null ? Duration.ZERO : gracePeriod),
                key.revokedAt(), key.revocationReason(), key.temporary(), key.hidden(), key.spiking())),
                secret.plaintext());
    }

    @Override
    public ApiKeyView update(TenantId tenantId, ApiKeyId keyId, String name, List<String> ips) {
        ApiKeyView key = require(tenantId, keyId);
        Inputs.Check check = new Inputs.Check();
        String newName = name == null ? null : check.get(() -> Inputs.name("name", "Name", name));
        IpAllowlist newIps = ips == null ? null : check.get(() -> IpAllowlist.parse(ips));
        check.done();
        boolean current = true;
        if (newName != null) {
            current = dispatch(new RenameApiKey(keyId, tenantId, newName));
        }
        if (newIps != null) {
            current = dispatch(new ChangeApiKeyIpAllowlist(keyId, tenantId, newIps.entries()));
        }
        return view(tenantId, keyId, current, () -> new ApiKeyView(keyId, tenantId,
                newName == null ? key.name() : newName, key.environment(), key.brand(),
                newIps == null ? key.ips() : newIps.entries(), key.prefix(), key.last4(), key.created(), key.expires(),
                key.lastUsed(), key.usageCount(), key.rotatedAt(), key.previousValidUntil(), key.revokedAt(),
                key.revocationReason(), key.temporary(), key.hidden(), key.spiking()));
    }

    @Override
    public void revoke(TenantId tenantId, ApiKeyId keyId, RevocationReason reason) {
        require(tenantId, keyId);
        dispatch(new RevokeApiKey(keyId, tenantId, reason == null ? RevocationReason.MANUAL : reason));
    }

    @Override
    public void hide(TenantId tenantId, ApiKeyId keyId) {
        require(tenantId, keyId);
        dispatch(new HideApiKey(keyId, tenantId));
    }

    @Override
    public Optional<ApiKeyView> find(TenantId tenantId, ApiKeyId keyId) {
        return table.find(tenantId, keyId);
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
                secret.hash(), secret.prefix(), secret.last4(), true);
        Instant now = GenericEventMessage.clock.instant();
        boolean current = dispatch(command);
        return new IssuedKey(view(tenant.tenantId(), keyId, current, () -> created(command, now)), secret.plaintext());
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

    private static String brand(TenantView tenant, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String wanted = raw.strip();
        return tenant.brands().stream().filter(brand -> brand.equalsIgnoreCase(wanted)).findFirst()
                .orElseThrow(() -> new KeysmithException.InvalidInput("brand", "Unknown brand \""
                        + Inputs.abbreviate(wanted) + "\": add it in Settings first"
                        + (tenant.brands().isEmpty() ? "." : ", or use one of " + String.join(", ", tenant.brands()) + ".")));
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
     * Takes one of the tenant's per-minute creates and rotations, then dispatches; a command the domain refuses
     * (limit reached, grace too long, key revoked...) gives its token back, so only real changes count.
     */
    private boolean spendThenDispatch(TenantId tenantId, Object command) {
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
            return dispatch(command);
        } catch (KeysmithException refused) {
            bucket.addTokens(1);
            throw refused;
        }
    }

    private ApiKeyView require(TenantId tenantId, ApiKeyId keyId) {
        return table.find(tenantId, keyId).orElseThrow(ApiKeyService::notFound);
    }

    /**
     * The key as the key table shows it once it has caught up with the command; when it has not (a projection
     * retrying after a store outage), the key as the command made it: the change is stored, and a created or
     * rotated key's secret must reach its caller all the same.
     */
    private ApiKeyView view(TenantId tenantId, ApiKeyId keyId, boolean current, Supplier<ApiKeyView> fromCommand) {
        Optional<ApiKeyView> row = current ? table.find(tenantId, keyId) : Optional.empty();
        return row.orElseGet(() -> {
            log.warn("The key table has not caught up with key {} yet: answering from the command", keyId);
            return fromCommand.get();
        });
    }

    private static ApiKeyView created(CreateApiKey command, Instant at) {
        return new ApiKeyView(command.keyId(), command.tenantId(), command.name(), command.environment(),
                command.brand(), command.ips(), command.prefix(), command.last4(), at, command.expires(), null, 0, null,
                null, null, null, command.temporary(), false, false);
    }

    /** Sends the command and waits for this node's projections: true when they caught up (read your writes). */
    private boolean dispatch(Object command) {
        try {
            commands.sendAndWait(command);
        } catch (AggregateNotFoundException e) {
            throw notFound();
        }
        return projections.awaitCurrent();
    }

    private static KeysmithException notFound() {
        return new KeysmithException.NotFound("key_not_found", "There is no API key with this id in this workspace.");
    }

}
