package dev.keysmith.webhooks.endpoint;

import dev.keysmith.keys.Environment;
import dev.keysmith.keys.Inputs;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.Projections;
import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.DeliveryView;
import dev.keysmith.webhooks.DisableReason;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.WebhookCommands.CreateWebhookEndpoint;
import dev.keysmith.webhooks.WebhookCommands.DeleteWebhookEndpoint;
import dev.keysmith.webhooks.WebhookCommands.DisableWebhookEndpoint;
import dev.keysmith.webhooks.WebhookCommands.EnableWebhookEndpoint;
import dev.keysmith.webhooks.WebhookCommands.RotateWebhookSecret;
import dev.keysmith.webhooks.WebhookCommands.SendWebhookTest;
import dev.keysmith.webhooks.WebhookCommands.UpdateWebhookEndpoint;
import dev.keysmith.webhooks.WebhookEndpointId;
import dev.keysmith.webhooks.WebhookEndpointView;
import dev.keysmith.webhooks.Webhooks;
import dev.keysmith.webhooks.WebhooksProperties;
import dev.keysmith.webhooks.delivery.DeliveryQueue;
import dev.keysmith.webhooks.delivery.EndpointHealth;
import dev.keysmith.webhooks.delivery.TargetGuard;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link Webhooks} facade: validates input (name, URL through the SSRF guard, environment, event types),
 * stores each new secret encrypted before the event that names its version, dispatches the commands and waits
 * for the projections, so the next read shows the change.
 */
@Service
class WebhookService implements Webhooks {

    static final int MAX_ENDPOINTS = 20;
    static final Duration MAX_OVERLAP = Duration.ofDays(7);
    static final int MAX_PAGE = 100;

    private final CommandGateway commands;
    private final EndpointTable table;
    private final SecretStore secrets;
    private final DeliveryQueue queue;
    private final EndpointHealth health;
    private final TargetGuard guard;
    private final Projections projections;
    private final WebhooksProperties properties;
    private final Clock clock;

    WebhookService(CommandGateway commands, EndpointTable table, SecretStore secrets, DeliveryQueue queue,
                   EndpointHealth health, TargetGuard guard, Projections projections, WebhooksProperties properties,
                   Clock webhooksClock) {
        this.commands = commands;
        this.table = table;
        this.secrets = secrets;
        this.queue = queue;
        this.health = health;
        this.guard = guard;
        this.projections = projections;
        this.properties = properties;
        this.clock = webhooksClock;
    }

    @Override
    public IssuedSecret create(TenantId tenantId, EndpointSpec spec) {
        Inputs.Check check = new Inputs.Check();
        String name = check.get(() -> Inputs.name("name", "Name", spec.name()));
        String url = check.get(() -> guard.validate(spec.url()));
        Environment environment = check.get(() -> spec.environment() == null || spec.environment().isBlank()
                ? Environment.PRODUCTION : Environment.parse(spec.environment()));
        List<EventType> events = check.get(() -> EventType.parseAll(spec.events()));
        check.done();
        if (table.list(tenantId).size() >= MAX_ENDPOINTS) {
            throw new KeysmithException.Conflict("webhook_limit_reached", "A workspace may have at most "
                    + MAX_ENDPOINTS + " webhook endpoints: delete one you no longer use.")
                    .withDetail("limit", MAX_ENDPOINTS);
        }
        WebhookEndpointId id = WebhookEndpointId.generate();
        String secret = SecretStore.generate();
        secrets.store(id, 1, secret);
        dispatch(new CreateWebhookEndpoint(id, tenantId, name, url, environment, events, SecretStore.fingerprint(secret)));
        return new IssuedSecret(require(tenantId, id), secret);
    }

    @Override
    public WebhookEndpointView update(TenantId tenantId, WebhookEndpointId id, EndpointSpec change) {
        require(tenantId, id);
        Inputs.Check check = new Inputs.Check();
        String name = change.name() == null ? null : check.get(() -> Inputs.name("name", "Name", change.name()));
        String url = change.url() == null ? null : check.get(() -> guard.validate(change.url()));
        Environment environment = change.environment() == null ? null
                : check.get(() -> Environment.parse(change.environment()));
        List<EventType> events = change.events() == null ? null : check.get(() -> EventType.parseAll(change.events()));
        check.done();
        dispatch(new UpdateWebhookEndpoint(id, tenantId, name, url, environment, events));
        return require(tenantId, id);
    }

    @Override
    public WebhookEndpointView enable(TenantId tenantId, WebhookEndpointId id) {
        require(tenantId, id);
        dispatch(new EnableWebhookEndpoint(id, tenantId));
        health.reset(id);
        return require(tenantId, id);
    }

    @Override
    public WebhookEndpointView disable(TenantId tenantId, WebhookEndpointId id) {
        require(tenantId, id);
        dispatch(new DisableWebhookEndpoint(id, tenantId, DisableReason.MANUAL, null));
        return require(tenantId, id);
    }

    @Override
    public void delete(TenantId tenantId, WebhookEndpointId id) {
        require(tenantId, id);
        dispatch(new DeleteWebhookEndpoint(id, tenantId));
        secrets.erase(id);
        queue.cancelPending(id, "The endpoint was deleted.");
        health.forget(id);
    }

    @Override
    public IssuedSecret rotateSecret(TenantId tenantId, WebhookEndpointId id, Duration overlap) {
        WebhookEndpointView endpoint = require(tenantId, id);
        Duration window = overlap == null ? properties.defaultSecretOverlap() : overlap;
        if (window.isNegative() || window.compareTo(MAX_OVERLAP) > 0) {
            throw new KeysmithException.InvalidInput("overlapSeconds",
                    "The overlap must be between 0 and 7 days (604800 seconds).");
        }
        int version = endpoint.secretVersion() + 1;
        String secret = SecretStore.generate();
        secrets.store(id, version, secret);
        dispatch(new RotateWebhookSecret(id, tenantId, version, SecretStore.fingerprint(secret),
                clock.instant().plus(window)));
        return new IssuedSecret(require(tenantId, id), secret);
    }

    @Override
    public DeliveryView sendTest(TenantId tenantId, WebhookEndpointId id) {
        require(tenantId, id);
        String testId = UUID.randomUUID().toString();
        dispatch(new SendWebhookTest(id, tenantId, testId));
        String deliveryId = DeliveryQueue.deliveryId(DeliveryQueue.testSourceId(testId), id);
        return queue.find(tenantId, id, deliveryId).orElseThrow(() -> new IllegalStateException(
                "the test message " + deliveryId + " was requested but is not queued yet"));
    }

    @Override
    public Optional<WebhookEndpointView> find(TenantId tenantId, WebhookEndpointId id) {
        return table.find(tenantId, id).map(this::view);
    }

    @Override
    public List<WebhookEndpointView> list(TenantId tenantId) {
        return table.list(tenantId).stream().map(this::view).toList();
    }

    @Override
    public DeliveryPage deliveries(TenantId tenantId, WebhookEndpointId id, DeliveryFilter filter, String cursor,
                                   int limit) {
        require(tenantId, id);
        if (limit < 1 || limit > MAX_PAGE) {
            throw new KeysmithException.InvalidInput("limit", "limit must be between 1 and " + MAX_PAGE
                    + "; it is " + limit + ".");
        }
        return queue.page(tenantId, id, filter == null ? DeliveryFilter.ANY : filter, cursor, limit);
    }

    @Override
    public Optional<DeliveryView> delivery(TenantId tenantId, WebhookEndpointId id, String deliveryId) {
        require(tenantId, id);
        return queue.find(tenantId, id, deliveryId);
    }

    @Override
    public DeliveryView resend(TenantId tenantId, WebhookEndpointId id, String deliveryId) {
        WebhookEndpointView endpoint = require(tenantId, id);
        requireEnabled(endpoint);
        if (!queue.resend(tenantId, id, deliveryId, clock.instant())) {
            throw Webhooks.deliveryNotFound();
        }
        return queue.find(tenantId, id, deliveryId).orElseThrow(Webhooks::deliveryNotFound);
    }

    @Override
    public int redeliverFailed(TenantId tenantId, WebhookEndpointId id, Instant from, Instant to) {
        WebhookEndpointView endpoint = require(tenantId, id);
        if (from == null || to == null || !from.isBefore(to)) {
            throw new KeysmithException.InvalidInput("from", "Give a time range: from must be before to.");
        }
        requireEnabled(endpoint);
        return queue.redeliverFailed(tenantId, id, from, to, clock.instant());
    }

    private static void requireEnabled(WebhookEndpointView endpoint) {
        if (!endpoint.enabled()) {
            throw new KeysmithException.Conflict("endpoint_disabled",
                    "This endpoint is disabled: enable it before sending messages to it.");
        }
    }

    private WebhookEndpointView require(TenantId tenantId, WebhookEndpointId id) {
        return find(tenantId, id).orElseThrow(Webhooks::endpointNotFound);
    }

    private WebhookEndpointView view(EndpointTable.Row row) {
        EndpointHealth.Health state = health.of(row.id());
        Instant now = clock.instant();
        boolean warning = state.failingSince() != null
                && !state.failingSince().isAfter(now.minus(properties.warnAfter()));
        Instant previousValidUntil = row.previousValidUntil() != null && row.previousValidUntil().isAfter(now)
                ? row.previousValidUntil() : null;
        return new WebhookEndpointView(row.id(), row.tenantId(), row.name(), row.url(), row.environment(), row.events(),
                row.enabled(), row.disabledReason(), row.disabledDetail(), row.created(), row.secretVersion(),
                row.secretFingerprint(), previousValidUntil, state.lastSuccessAt(), state.failingSince(), warning);
    }

    private void dispatch(Object command) {
        try {
            commands.sendAndWait(command);
        } catch (AggregateNotFoundException e) {
            throw Webhooks.endpointNotFound();
        }
        projections.awaitCurrent();
    }
}
