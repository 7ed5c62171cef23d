package dev.keysmith.webhooks.endpoint;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.keysmith.keys.Environment;
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
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The endpoint table ({@code webhook_endpoints}), never a secret. It is in the {@code webhooks} processing group
 * with the dispatcher, so the dispatcher sees each endpoint exactly as it was at each event, on replay too.
 * Idempotent (handlers set values) and rebuildable (the reset handler empties it).
 */
@Component
@ProcessingGroup(EndpointTable.GROUP)
public class EndpointTable {

    /** The ordered processor of the endpoint table, the key facts and the dispatcher. */
    public static final String GROUP = "webhooks";

    /** An endpoint as the table holds it (the facade adds its health). */
    public record Row(WebhookEndpointId id, TenantId tenantId, String name, String url, Environment environment,
                      List<EventType> events, boolean enabled, DisableReason disabledReason, String disabledDetail,
                      Instant created, int secretVersion, String secretFingerprint, int previousSecretVersion,
                      Instant previousValidUntil) {
    }

    private final MongoCollection<Document> endpoints;

    EndpointTable(MongoDatabase database) {
        this.endpoints = database.getCollection("webhook_endpoints");
        endpoints.createIndex(Indexes.ascending("tenantId", "created"));
    }

    @EventHandler
    void on(WebhookEndpointCreated event, @Timestamp Instant at) {
        Document row = new Document("_id", event.endpointId().value())
                .append("tenantId", event.tenantId().value())
                .append("name", event.name())
                .append("url", event.url())
                .append("environment", event.environment().name())
                .append("events", event.events().stream().map(EventType::type).toList())
                .append("enabled", true)
                .append("created", Date.from(at))
                .append("secretVersion", event.secretVersion())
                .append("secretFingerprint", event.secretFingerprint())
                .append("previousSecretVersion", 0)
                .append("previousValidUntil", null);
        endpoints.replaceOne(Filters.eq("_id", row.get("_id")), row, new ReplaceOptions().upsert(true));
    }

    @EventHandler
    void on(WebhookEndpointUpdated event) {
        update(event.endpointId(), Updates.combine(Updates.set("name", event.name()), Updates.set("url", event.url()),
                Updates.set("environment", event.environment().name()),
                Updates.set("events", event.events().stream().map(EventType::type).toList())));
    }

    @EventHandler
    void on(WebhookEndpointEnabled event) {
        update(event.endpointId(), Updates.combine(Updates.set("enabled", true),
                Updates.set("disabledReason", null), Updates.set("disabledDetail", null)));
    }

    @EventHandler
    void on(WebhookEndpointDisabled event) {
        update(event.endpointId(), Updates.combine(Updates.set("enabled", false),
                Updates.set("disabledReason", event.reason().name()), Updates.set("disabledDetail", event.detail())));
    }

    @EventHandler
    void on(WebhookSecretRotated event) {
        update(event.endpointId(), Updates.combine(Updates.set("secretVersion", event.secretVersion()),
                Updates.set("secretFingerprint", event.secretFingerprint()),
                Updates.set("previousSecretVersion", event.previousVersion()),
                Updates.set("previousValidUntil", event.previousValidUntil() == null ? null
                        : Date.from(event.previousValidUntil()))));
    }

    @EventHandler
    void on(WebhookEndpointDeleted event) {
        endpoints.deleteOne(Filters.eq("_id", event.endpointId().value()));
    }

    @ResetHandler
    void reset() {
        endpoints.deleteMany(new Document());
    }

    private void update(WebhookEndpointId id, Bson update) {
        endpoints.updateOne(Filters.eq("_id", id.value()), update);
    }

    public Optional<Row> find(WebhookEndpointId id) {
        return Optional.ofNullable(endpoints.find(Filters.eq("_id", id.value())).first()).map(EndpointTable::row);
    }

    public Optional<Row> find(TenantId tenantId, WebhookEndpointId id) {
        return find(id).filter(row -> row.tenantId().equals(tenantId));
    }

    public List<Row> list(TenantId tenantId) {
        return endpoints.find(Filters.eq("tenantId", tenantId.value())).sort(Sorts.ascending("created", "_id"))
                .map(EndpointTable::row).into(new ArrayList<>());
    }

    /** The tenant's enabled endpoints subscribed to this type (and, when given, this environment). */
    public List<Row> subscribers(TenantId tenantId, EventType type, Environment environment) {
        List<Bson> conditions = new ArrayList<>(List.of(Filters.eq("tenantId", tenantId.value()),
                Filters.eq("enabled", true), Filters.eq("events", type.type())));
        if (environment != null) {
            conditions.add(Filters.eq("environment", environment.name()));
        }
        return endpoints.find(Filters.and(conditions)).sort(Sorts.ascending("created", "_id"))
                .map(EndpointTable::row).into(new ArrayList<>());
    }

    public List<Row> enabled() {
        return endpoints.find(Filters.eq("enabled", true)).map(EndpointTable::row).into(new ArrayList<>());
    }

    private static Row row(Document d) {
        String reason = d.getString("disabledReason");
        Date previousValidUntil = d.getDate("previousValidUntil");
        return new Row(new WebhookEndpointId(d.getString("_id")), new TenantId(d.getString("tenantId")),
                d.getString("name"), d.getString("url"), Environment.valueOf(d.getString("environment")),
                d.getList("events", String.class, List.of()).stream().map(EventType::of)
                        .filter(java.util.Objects::nonNull).toList(),
                d.getBoolean("enabled", false), reason == null ? null : DisableReason.valueOf(reason),
                d.getString("disabledDetail"), d.getDate("created").toInstant(),
                d.getInteger("secretVersion", 1), d.getString("secretFingerprint"),
                d.getInteger("previousSecretVersion", 0),
                previousValidUntil == null ? null : previousValidUntil.toInstant());
    }
}
