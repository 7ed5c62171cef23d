package dev.keysmith.webhooks.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.RevocationReason;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyRevoked;
import dev.keysmith.keys.events.ApiKeyUsageSpiked;
import dev.keysmith.webhooks.DeliveryView;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.TestMongo;
import dev.keysmith.webhooks.WebhookEndpointId;
import dev.keysmith.webhooks.Webhooks;
import dev.keysmith.webhooks.WebhooksProperties;
import dev.keysmith.webhooks.endpoint.EndpointTables;
import dev.keysmith.webhooks.events.WebhookEndpointCreated;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher and the queue on an embedded MongoDB: one delivery per (event, subscribed endpoint), never a second
 * one on redelivery or replay; payloads without secrets; the environment from the key lookup; leases.
 */
class DispatcherTests {

    static final TenantId TENANT = new TenantId("ten_0123456789abcdef");
    static final ApiKeyId KEY = new ApiKeyId("key_0123456789abcdef");
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    TestMongo mongo;
    EndpointTables.Handle endpoints;
    DeliveryQueue queue;
    Dispatcher dispatcher;
    WebhooksProperties properties = new WebhooksProperties(null, null, null, null, null, null, null, null, null,
            null, null, null, null);

    @BeforeEach
    void start() {
        mongo = new TestMongo();
        endpoints = EndpointTables.create(mongo.database());
        queue = new DeliveryQueue(mongo.database());
        dispatcher = new Dispatcher(endpoints.table(), queue, mongo.database(), properties,
                Clock.fixed(NOW.plusSeconds(1), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        mongo.close();
    }

    WebhookEndpointId endpoint(String suffix, Environment environment, List<EventType> types) {
        WebhookEndpointId id = new WebhookEndpointId("whep_000000000000000" + suffix);
        endpoints.on(new WebhookEndpointCreated(id, TENANT, "E" + suffix, "https://93.184.216.34/" + suffix,
                environment, types, 1, "sha256:000000000000"), NOW.minusSeconds(60));
        return id;
    }

    static <T> EventMessage<T> message(T payload) {
        return GenericEventMessage.asEventMessage(payload);
    }

    ApiKeyCreated created() {
        return new ApiKeyCreated(KEY, TENANT, "Billing", Environment.PRODUCTION, null, List.of(), null,
                "a".repeat(64), "ks_live_Ab12", "x9Yz", false);
    }

    @Test
    void oneDeliveryPerSubscribedEndpointAndNoneOnRedelivery() throws Exception {
        WebhookEndpointId all = endpoint("1", Environment.PRODUCTION, List.of(EventType.KEY_CREATED, EventType.KEY_REVOKED));
        WebhookEndpointId sandbox = endpoint("2", Environment.SANDBOX, List.of(EventType.KEY_CREATED));
        WebhookEndpointId other = endpoint("3", Environment.PRODUCTION, List.of(EventType.KEY_ROTATED));
        EventMessage<ApiKeyCreated> created = message(created());
        dispatcher.on(created.getPayload(), created, NOW);
        dispatcher.on(created.getPayload(), created, NOW);
        EventMessage<ApiKeyRevoked> revoked = message(new ApiKeyRevoked(KEY, TENANT, RevocationReason.LEAKED));
        dispatcher.on(revoked.getPayload(), revoked, NOW);
        dispatcher.on(revoked.getPayload(), revoked, NOW);

        Webhooks.DeliveryPage page = queue.page(TENANT, all, Webhooks.DeliveryFilter.ANY, null, 10);
        assertThat(page.items()).extracting(DeliveryView::eventType)
                .containsExactlyInAnyOrder(EventType.KEY_CREATED, EventType.KEY_REVOKED);
        assertThat(queue.page(TENANT, sandbox, Webhooks.DeliveryFilter.ANY, null, 10).items()).isEmpty();
        assertThat(queue.page(TENANT, other, Webhooks.DeliveryFilter.ANY, null, 10).items()).isEmpty();

        DeliveryView first = page.items().stream().filter(d -> d.eventType() == EventType.KEY_CREATED).findFirst().orElseThrow();
        assertThat(first.messageId()).isEqualTo(DeliveryQueue.messageId(created.getIdentifier()));
        JsonNode body = Dispatcher.JSON.readTree(first.body());
        assertThat(body.get("id").asText()).isEqualTo(first.messageId());
        assertThat(body.get("environment").asText()).isEqualTo("production");
        assertThat(body.get("data").get("prefix").asText()).isEqualTo("ks_live_Ab12");
        assertThat(first.body()).doesNotContain("a".repeat(64)).doesNotContain("hash");
    }

    @Test
    void aReplayAfterAResetSendsNothingAgainAndOldEventsAreNotDispatched() {
        WebhookEndpointId id = endpoint("1", Environment.PRODUCTION, List.of(EventType.KEY_CREATED, EventType.KEY_USAGE_SPIKE));
        EventMessage<ApiKeyCreated> created = message(created());
        dispatcher.on(created.getPayload(), created, NOW);
        String deliveryId = DeliveryQueue.deliveryId(created.getIdentifier(), id);
        DeliveryQueue.Claim claim = queue.claim("node-a", NOW.plusSeconds(1), Duration.ofSeconds(30)).orElseThrow();
        queue.record(claim, attempt(200), DeliveryView.Status.SUCCEEDED, null, true);

        endpoints.reset();
        dispatcher.reset();
        endpoint("1", Environment.PRODUCTION, List.of(EventType.KEY_CREATED, EventType.KEY_USAGE_SPIKE));
        dispatcher.on(created.getPayload(), created, NOW);
        assertThat(queue.find(TENANT, id, deliveryId).orElseThrow().status()).isEqualTo(DeliveryView.Status.SUCCEEDED);
        assertThat(queue.claim("node-a", NOW.plusSeconds(2), Duration.ofSeconds(30))).isEmpty();

        EventMessage<ApiKeyUsageSpiked> old = message(new ApiKeyUsageSpiked(KEY, TENANT, NOW, 100, 1, 100));
        dispatcher.on(old.getPayload(), old, NOW.minus(Duration.ofDays(2)));
        assertThat(queue.page(TENANT, id, Webhooks.DeliveryFilter.ANY, null, 10).items()).hasSize(1);
        EventMessage<ApiKeyUsageSpiked> spike = message(new ApiKeyUsageSpiked(KEY, TENANT, NOW, 1200, 40, 30));
        dispatcher.on(spike.getPayload(), spike, NOW);
        assertThat(queue.page(TENANT, id, new Webhooks.DeliveryFilter(null, EventType.KEY_USAGE_SPIKE, null, null),
                null, 10).items()).hasSize(1);
    }

    @Test
    void aLeaseKeepsOtherNodesAwayUntilItExpiresAndAStaleHolderCannotRecord() {
        WebhookEndpointId id = endpoint("1", Environment.PRODUCTION, List.of(EventType.KEY_CREATED));
        EventMessage<ApiKeyCreated> created = message(created());
        dispatcher.on(created.getPayload(), created, NOW);
        DeliveryQueue.Claim a = queue.claim("node-a", NOW, Duration.ofSeconds(30)).orElseThrow();
        assertThat(queue.claim("node-b", NOW.plusSeconds(29), Duration.ofSeconds(30))).isEmpty();
        Optional<DeliveryQueue.Claim> b = queue.claim("node-b", NOW.plusSeconds(31), Duration.ofSeconds(30));
        assertThat(b).isPresent();
        assertThat(b.get().messageId()).isEqualTo(a.messageId());
        assertThat(queue.record(a, attempt(200), DeliveryView.Status.SUCCEEDED, null, true)).isFalse();
        assertThat(queue.record(b.get(), attempt(500), DeliveryView.Status.PENDING, NOW.plusSeconds(40), true)).isTrue();
        DeliveryView delivery = queue.find(TENANT, id, b.get().deliveryId()).orElseThrow();
        assertThat(delivery.status()).isEqualTo(DeliveryView.Status.PENDING);
        assertThat(delivery.attempts()).hasSize(1);
        assertThat(queue.claim("node-a", NOW.plusSeconds(39), Duration.ofSeconds(30))).isEmpty();
        assertThat(queue.claim("node-a", NOW.plusSeconds(40), Duration.ofSeconds(30))).isPresent();
    }

    /**
     * After a search of the queue finds nothing due, the node does not search again before the quiet time (a search
     * scans the embedded store's collection); what the node enqueues itself, or is resent, still goes at once.
     */
    @Test
    void afterAnEmptySearchOnlyThisNodesNewDeliveriesAreClaimedUntilTheQuietTimeEnds() {
        Duration quiet = Duration.ofSeconds(5);
        WebhookEndpointId id = endpoint("1", Environment.PRODUCTION, List.of(EventType.KEY_CREATED));
        assertThat(queue.claim("node-a", NOW, Duration.ofSeconds(30), quiet)).isEmpty();
        EventMessage<ApiKeyCreated> created = message(created());
        dispatcher.on(created.getPayload(), created, NOW);
        DeliveryQueue.Claim first = queue.claim("node-a", NOW.plusSeconds(1), Duration.ofSeconds(30), quiet).orElseThrow();
        queue.record(first, attempt(500), DeliveryView.Status.PENDING, NOW.plusSeconds(2), true);
        assertThat(queue.claim("node-a", NOW.plusSeconds(3), Duration.ofSeconds(30), quiet))
                .as("a retry falling due waits for the next search").isEmpty();
        assertThat(queue.resend(TENANT, id, first.deliveryId(), NOW.plusSeconds(3))).isTrue();
        assertThat(queue.claim("node-a", NOW.plusSeconds(3), Duration.ofSeconds(30), quiet))
                .as("a resend goes at once").isPresent();
        DeliveryQueue other = new DeliveryQueue(mongo.database());
        assertThat(other.claim("node-b", NOW.plusSeconds(4), Duration.ofSeconds(30), quiet))
                .as("the delivery is leased").isEmpty();
        assertThat(other.claim("node-b", NOW.plusSeconds(40), Duration.ofSeconds(30), quiet))
                .as("once the lease expired, a search after the quiet time finds it").isPresent();
    }

    static DeliveryView.Attempt attempt(int status) {
        return new DeliveryView.Attempt(1, NOW, status, 5, "ok", null, java.util.Map.of("webhook-id", "msg_x"), false);
    }
}
