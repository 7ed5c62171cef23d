package dev.keysmith.audit.history;

import dev.keysmith.audit.TimeTravel.EndpointAt;
import dev.keysmith.audit.TimeTravel.EndpointChange;
import dev.keysmith.audit.trail.TestTrail;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.TenantId;
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
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Webhook endpoints folded from a scripted history (created, updated, disabled, secret rotated, enabled, deleted, one
 * event a minute) in an in-memory event store, with the endpoint ids from the real trail projection: the endpoint at
 * each instant, the list, another tenant's endpoint, and the changes between two instants.
 */
class EndpointTimeTravelTests {

    static final Instant T0 = Instant.parse("2030-03-01T09:00:00Z");
    static final TenantId TENANT = new TenantId("ten_endpointsAAAAAAA");
    static final TenantId OTHER = new TenantId("ten_otherAAAAAAAAAAA");
    static final WebhookEndpointId ORDERS = new WebhookEndpointId("whep_orders0000000000");
    static final WebhookEndpointId BILLING = new WebhookEndpointId("whep_billing000000000");
    static final WebhookEndpointId THEIRS = new WebhookEndpointId("whep_theirs000000000");

    final InMemoryEventStorageEngine store = new InMemoryEventStorageEngine();
    final TestTrail trail = new TestTrail();
    final EventStoreTimeTravel timeTravel = new EventStoreTimeTravel(store, trail.subjects());
    final Map<String, Long> sequences = new HashMap<>();
    final List<DomainEventMessage<?>> history = new ArrayList<>();

    @AfterEach
    void close() {
        trail.close();
    }

    static Instant minute(int n) {
        return T0.plusSeconds(60L * n);
    }

    /** Records an event of {@code endpoint} at minute {@code n}, with the tenant in its metadata as the app does. */
    void at(int n, WebhookEndpointId endpoint, TenantId tenant, Object payload) {
        long sequence = sequences.merge(endpoint.value(), 1L, Long::sum) - 1;
        history.add(new GenericDomainEventMessage<>("WebhookEndpoint", endpoint.value(), sequence, payload,
                Map.of("tenantId", tenant.value()), UUID.randomUUID().toString(), minute(n)));
    }

    void script() {
        at(1, ORDERS, TENANT, new WebhookEndpointCreated(ORDERS, TENANT, "Orders", "https://hooks.example.com/a",
                Environment.PRODUCTION, List.of(EventType.KEY_CREATED), 1, "sha256:aaaaaaaaaaaa"));
        at(2, THEIRS, OTHER, new WebhookEndpointCreated(THEIRS, OTHER, "Theirs", "https://other.example.com/",
                Environment.PRODUCTION, List.of(EventType.KEY_REVOKED), 1, "sha256:cccccccccccc"));
        at(3, ORDERS, TENANT, new WebhookEndpointUpdated(ORDERS, TENANT, "Orders v2", "https://hooks.example.com/b",
                Environment.PRODUCTION, List.of(EventType.KEY_CREATED, EventType.KEY_REVOKED)));
        at(4, BILLING, TENANT, new WebhookEndpointCreated(BILLING, TENANT, "Billing", "https://billing.example.com/",
                Environment.SANDBOX, List.of(EventType.KEY_ROTATED), 1, "sha256:bbbbbbbbbbbb"));
        at(5, ORDERS, TENANT, new WebhookEndpointDisabled(ORDERS, TENANT, DisableReason.GONE, "410 from the receiver"));
        at(6, ORDERS, TENANT, new WebhookSecretRotated(ORDERS, TENANT, 2, "sha256:dddddddddddd", 1, minute(66)));
        at(7, ORDERS, TENANT, new WebhookEndpointEnabled(ORDERS, TENANT));
        at(8, ORDERS, TENANT, new WebhookEndpointDeleted(ORDERS, TENANT));
        store.appendEvents(history);
        trail.project(history);
    }

    EndpointAt orders(int minute, int seconds) {
        return timeTravel.endpointAt(TENANT, ORDERS, minute(minute).plusSeconds(seconds)).orElseThrow();
    }

    @Test
    void theEndpointAsItWasAtEachInstant() {
        script();
        assertThat(timeTravel.endpointAt(TENANT, ORDERS, minute(1).minusMillis(1))).isEmpty();

        EndpointAt created = orders(1, 0); // an event at the very instant counts
        assertThat(created.name()).isEqualTo("Orders");
        assertThat(created.url()).isEqualTo("https://hooks.example.com/a");
        assertThat(created.eventTypes()).containsExactly("key.created");
        assertThat(created.status()).isEqualTo("enabled");
        assertThat(created.created()).isEqualTo(minute(1));
        assertThat(created.updated()).isNull();
        assertThat(created.secretVersion()).isEqualTo(1);
        assertThat(created.secretFingerprint()).isEqualTo("sha256:aaaaaaaaaaaa");
        assertThat(created.secretRotatedAt()).isNull();

        EndpointAt updated = orders(3, 30);
        assertThat(updated.name()).isEqualTo("Orders v2");
        assertThat(updated.url()).isEqualTo("https://hooks.example.com/b");
        assertThat(updated.eventTypes()).containsExactly("key.created", "key.revoked");
        assertThat(updated.updated()).isEqualTo(minute(3));
        assertThat(updated.created()).isEqualTo(minute(1));

        EndpointAt disabled = orders(5, 30);
        assertThat(disabled.status()).isEqualTo("disabled");
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.disabledReason()).isEqualTo(DisableReason.GONE);
        assertThat(disabled.disabledDetail()).isEqualTo("410 from the receiver");

        EndpointAt rotated = orders(6, 30);
        assertThat(rotated.status()).isEqualTo("disabled");
        assertThat(rotated.secretVersion()).isEqualTo(2);
        assertThat(rotated.secretFingerprint()).isEqualTo("sha256:dddddddddddd");
        assertThat(rotated.secretRotatedAt()).isEqualTo(minute(6));
        assertThat(rotated.previousSecretValidUntil()).isEqualTo(minute(66));

        EndpointAt enabled = orders(7, 30);
        assertThat(enabled.status()).isEqualTo("enabled");
        assertThat(enabled.disabledReason()).isNull();
        assertThat(enabled.secretVersion()).isEqualTo(2);

        EndpointAt deleted = orders(8, 30);
        assertThat(deleted.status()).isEqualTo("deleted");
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.deletedAt()).isEqualTo(minute(8));
        assertThat(deleted.name()).isEqualTo("Orders v2");
        assertThat(orders(7, 59).deleted()).isFalse();
    }

    @Test
    void theListHoldsTheTenantsEndpointsOfThatInstantOnly() {
        script();
        assertThat(timeTravel.endpointsAt(TENANT, minute(0))).isEmpty();
        assertThat(timeTravel.endpointsAt(TENANT, minute(3))).extracting(EndpointAt::id).containsExactly(ORDERS);
        assertThat(timeTravel.endpointsAt(TENANT, minute(9))).extracting(e -> e.id().value() + " " + e.status())
                .containsExactly(ORDERS + " deleted", BILLING + " enabled");
        assertThat(timeTravel.endpointsAt(OTHER, minute(9))).extracting(EndpointAt::id).containsExactly(THEIRS);
        // another tenant's endpoint is not found, whichever id is asked
        assertThat(timeTravel.endpointAt(TENANT, THEIRS, minute(9))).isEmpty();
        assertThat(timeTravel.endpointAt(OTHER, ORDERS, minute(9))).isEmpty();
        assertThat(timeTravel.endpointAt(TENANT, new WebhookEndpointId("whep_nothing000000000"), minute(9))).isEmpty();
    }

    @Test
    void theChangesBetweenTwoInstants() {
        script();
        assertThat(timeTravel.endpointDiff(TENANT, minute(0), minute(9)))
                .extracting(c -> c.endpointId() + " " + c.change())
                .containsExactly(ORDERS + " added", ORDERS + " updated", ORDERS + " secret_rotated",
                        ORDERS + " deleted", BILLING + " added");
        EndpointChange update = timeTravel.endpointDiff(TENANT, minute(2), minute(3)).get(0);
        assertThat(update.change()).isEqualTo("updated");
        assertThat(update.before()).isEqualTo("name Orders; url https://hooks.example.com/a; events key.created");
        assertThat(update.after()).isEqualTo("name Orders v2; url https://hooks.example.com/b; "
                + "events key.created, key.revoked");
        assertThat(timeTravel.endpointDiff(TENANT, minute(4), minute(6)))
                .extracting(c -> c.change() + " " + c.before() + " -> " + c.after())
                .containsExactly("secret_rotated v1 -> v2", "disabled null -> gone");
        assertThat(timeTravel.endpointDiff(TENANT, minute(6), minute(7))).extracting(EndpointChange::change)
                .containsExactly("enabled");
        assertThat(timeTravel.endpointDiff(TENANT, minute(7), minute(8))).extracting(EndpointChange::change)
                .containsExactly("deleted");
        assertThat(timeTravel.endpointDiff(TENANT, minute(8), minute(9))).isEmpty();
        assertThat(timeTravel.endpointDiff(OTHER, minute(0), minute(9))).extracting(EndpointChange::endpointId)
                .containsExactly(THEIRS.value());
        assertThatThrownBy(() -> timeTravel.endpointDiff(TENANT, minute(9), minute(9)))
                .isInstanceOf(KeysmithException.InvalidInput.class);
    }
}
