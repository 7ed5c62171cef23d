package dev.keysmith.webhooks.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyExpired;
import dev.keysmith.keys.events.ApiKeyIpAllowlistChanged;
import dev.keysmith.keys.events.ApiKeyRenamed;
import dev.keysmith.keys.events.ApiKeyRevoked;
import dev.keysmith.keys.events.ApiKeyRotated;
import dev.keysmith.keys.events.ApiKeyUsageSpiked;
import dev.keysmith.webhooks.DisableReason;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.WebhookEndpointId;
import dev.keysmith.webhooks.WebhooksProperties;
import dev.keysmith.webhooks.endpoint.EndpointTable;
import dev.keysmith.webhooks.events.WebhookEndpointDisabled;
import dev.keysmith.webhooks.events.WebhookTestRequested;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns events into deliveries: one per subscribed, enabled endpoint of the event's tenant and environment, each
 * inserted only if absent (so a replay or a redelivery never makes a second one). Runs in the ordered
 * {@code webhooks} processor with the endpoint table and its own small key lookup ({@code webhook_key_facts}:
 * environment, name, prefix, last four, brand per key), so both are exactly as they were at each event, on replay
 * too. Events older than {@code dispatch-max-age} when first seen (a replay from the start) create nothing.
 * {@code ApiKeyUsed} is never sent. Payloads never contain a secret or a hash.
 */
@Component
@ProcessingGroup(EndpointTable.GROUP)
class Dispatcher {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final EndpointTable endpoints;
    private final DeliveryQueue queue;
    private final MongoCollection<Document> keyFacts;
    private final WebhooksProperties properties;
    private final Clock clock;

    Dispatcher(EndpointTable endpoints, DeliveryQueue queue, MongoDatabase database, WebhooksProperties properties,
               Clock webhooksClock) {
        this.endpoints = endpoints;
        this.queue = queue;
        this.keyFacts = database.getCollection("webhook_key_facts");
        this.properties = properties;
        this.clock = webhooksClock;
    }

    @EventHandler
    void on(ApiKeyCreated event, EventMessage<?> message, @Timestamp Instant at) {
        Document facts = new Document("_id", event.keyId().value()).append("tenantId", event.tenantId().value())
                .append("environment", event.environment().name()).append("name", event.name())
                .append("prefix", event.prefix()).append("last4", event.last4()).append("brand", event.brand());
        keyFacts.replaceOne(Filters.eq("_id", facts.get("_id")), facts, new ReplaceOptions().upsert(true));
        Map<String, Object> data = keyData(event.keyId(), facts);
        data.put("brand", event.brand());
        data.put("expires", event.expires());
        data.put("temporary", event.temporary());
        dispatch(message.getIdentifier(), event.tenantId(), event.environment(), EventType.KEY_CREATED, at, data, null);
    }

    @EventHandler
    void on(ApiKeyRenamed event, EventMessage<?> message, @Timestamp Instant at) {
        keyFacts.updateOne(Filters.eq("_id", event.keyId().value()), Updates.set("name", event.to()));
        Map<String, Object> data = keyData(event.keyId());
        data.put("changes", Map.of("name", change(event.from(), event.to())));
        dispatchKey(message, event.tenantId(), event.keyId(), EventType.KEY_UPDATED, at, data);
    }

    @EventHandler
    void on(ApiKeyIpAllowlistChanged event, EventMessage<?> message, @Timestamp Instant at) {
        Map<String, Object> data = keyData(event.keyId());
        data.put("changes", Map.of("ips", change(event.from(), event.to())));
        dispatchKey(message, event.tenantId(), event.keyId(), EventType.KEY_UPDATED, at, data);
    }

    @EventHandler
    void on(ApiKeyRotated event, EventMessage<?> message, @Timestamp Instant at) {
        keyFacts.updateOne(Filters.eq("_id", event.keyId().value()),
                Updates.combine(Updates.set("prefix", event.prefix()), Updates.set("last4", event.last4())));
        Map<String, Object> data = keyData(event.keyId());
        data.put("previousValidUntil", event.previousValidUntil());
        dispatchKey(message, event.tenantId(), event.keyId(), EventType.KEY_ROTATED, at, data);
    }

    @EventHandler
    void on(ApiKeyRevoked event, EventMessage<?> message, @Timestamp Instant at) {
        Map<String, Object> data = keyData(event.keyId());
        data.put("reason", event.reason().name().toLowerCase(java.util.Locale.ROOT));
        dispatchKey(message, event.tenantId(), event.keyId(), EventType.KEY_REVOKED, at, data);
    }

    @EventHandler
    void on(ApiKeyExpired event, EventMessage<?> message, @Timestamp Instant at) {
        Map<String, Object> data = keyData(event.keyId());
        data.put("expiredAt", event.expiredAt());
        dispatchKey(message, event.tenantId(), event.keyId(), EventType.KEY_EXPIRED, at, data);
    }

    @EventHandler
    void on(ApiKeyUsageSpiked event, EventMessage<?> message, @Timestamp Instant at) {
        Map<String, Object> data = keyData(event.keyId());
        data.put("detectedAt", event.detectedAt());
        data.put("ratePerMinute", event.ratePerMinute());
        data.put("baselinePerMinute", event.baselinePerMinute());
        data.put("multiple", event.multiple());
        dispatchKey(message, event.tenantId(), event.keyId(), EventType.KEY_USAGE_SPIKE, at, data);
    }

    @EventHandler
    void on(WebhookTestRequested event, @Timestamp Instant at) {
        endpoints.find(event.endpointId()).ifPresent(endpoint -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("endpointId", event.endpointId().value());
            data.put("message", "This is a test event from Keysmith.");
            String sourceId = DeliveryQueue.testSourceId(event.testId());
            queue.enqueue(sourceId, event.tenantId(), List.of(endpoint.id()), EventType.WEBHOOK_TEST, at,
                    body(sourceId, EventType.WEBHOOK_TEST, at, event.tenantId(), endpoint.environment(), data), at);
        });
    }

    @EventHandler
    void on(WebhookEndpointDisabled event, EventMessage<?> message, @Timestamp Instant at) {
        if (event.reason() == DisableReason.MANUAL) {
            return;
        }
        endpoints.find(event.endpointId()).ifPresent(disabled -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("endpointId", disabled.id().value());
            data.put("name", disabled.name());
            data.put("url", disabled.url());
            data.put("reason", event.reason().json());
            data.put("detail", event.detail());
            dispatch(message.getIdentifier(), event.tenantId(), null, EventType.ENDPOINT_DISABLED, at, data,
                    disabled.environment());
        });
    }

    @ResetHandler
    void reset() {
        keyFacts.deleteMany(new Document());
    }

    private void dispatchKey(EventMessage<?> message, TenantId tenantId, ApiKeyId keyId, EventType type, Instant at,
                             Map<String, Object> data) {
        Document facts = keyFacts.find(Filters.eq("_id", keyId.value())).first();
        Environment environment = facts == null ? null : Environment.valueOf(facts.getString("environment"));
        if (environment == null) {
            return; // a key this processor never saw created: nothing reliable to say about it
        }
        dispatch(message.getIdentifier(), tenantId, environment, type, at, data, null);
    }

    /** One delivery per subscriber; {@code environment} filters the endpoints, {@code payloadEnvironment} overrides. */
    private void dispatch(String sourceId, TenantId tenantId, Environment environment, EventType type, Instant at,
                          Map<String, Object> data, Environment payloadEnvironment) {
        Instant now = clock.instant();
        if (at.isBefore(now.minus(properties.dispatchMaxAge()))) {
            return;
        }
        List<EndpointTable.Row> subscribers = endpoints.subscribers(tenantId, type, environment);
        if (subscribers.isEmpty()) {
            return;
        }
        String body = body(sourceId, type, at, tenantId, payloadEnvironment != null ? payloadEnvironment : environment,
                data);
        List<WebhookEndpointId> targets = new ArrayList<>();
        for (EndpointTable.Row endpoint : subscribers) {
            if (type != EventType.ENDPOINT_DISABLED || !data.get("endpointId").equals(endpoint.id().value())) {
                targets.add(endpoint.id());
            }
        }
        queue.enqueue(sourceId, tenantId, targets, type, at, body, at);
    }

    private Map<String, Object> keyData(ApiKeyId keyId) {
        return keyData(keyId, keyFacts.find(Filters.eq("_id", keyId.value())).first());
    }

    private static Map<String, Object> keyData(ApiKeyId keyId, Document facts) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", keyId.value());
        if (facts != null) {
            data.put("name", facts.getString("name"));
            data.put("prefix", facts.getString("prefix"));
            data.put("last4", facts.getString("last4"));
            data.put("environment", Environment.valueOf(facts.getString("environment")).json());
        }
        return data;
    }

    private static Map<String, Object> change(Object from, Object to) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("from", from);
        change.put("to", to);
        return change;
    }

    static String body(String sourceId, EventType type, Instant at, TenantId tenantId, Environment environment,
                       Map<String, Object> data) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", DeliveryQueue.messageId(sourceId));
        payload.put("type", type.type());
        payload.put("timestamp", at);
        payload.put("tenantId", tenantId.value());
        payload.put("environment", environment == null ? null : environment.json());
        payload.put("data", data);
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a webhook payload", e);
        }
    }
}
