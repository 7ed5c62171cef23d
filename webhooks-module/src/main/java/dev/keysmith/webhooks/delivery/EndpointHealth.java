package dev.keysmith.webhooks.delivery;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.keysmith.webhooks.WebhookEndpointId;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Each endpoint's delivery health ({@code webhook_endpoint_health}), written by the workers: the last success and
 * the first failure since then. Not a projection (no event records each attempt), so it survives a replay.
 */
@Component
public class EndpointHealth {

    public record Health(Instant lastSuccessAt, Instant failingSince) {
        static final Health UNKNOWN = new Health(null, null);
    }

    private final MongoCollection<Document> health;

    EndpointHealth(MongoDatabase database) {
        this.health = database.getCollection("webhook_endpoint_health");
    }

    void succeeded(WebhookEndpointId id, Instant at) {
        health.updateOne(Filters.eq("_id", id.value()), Updates.combine(Updates.max("lastSuccessAt", Date.from(at)),
                Updates.unset("failingSince")), new UpdateOptions().upsert(true));
    }

    void failed(WebhookEndpointId id, Instant at) {
        health.updateOne(Filters.eq("_id", id.value()), Updates.min("failingSince", Date.from(at)),
                new UpdateOptions().upsert(true));
    }

    /** A fresh start (an endpoint enabled again): failures before now no longer count. */
    public void reset(WebhookEndpointId id) {
        health.updateOne(Filters.eq("_id", id.value()), Updates.unset("failingSince"));
    }

    public void forget(WebhookEndpointId id) {
        health.deleteOne(Filters.eq("_id", id.value()));
    }

    public Health of(WebhookEndpointId id) {
        Document d = health.find(Filters.eq("_id", id.value())).first();
        if (d == null) {
            return Health.UNKNOWN;
        }
        Date success = d.getDate("lastSuccessAt");
        Date failing = d.getDate("failingSince");
        return new Health(success == null ? null : success.toInstant(), failing == null ? null : failing.toInstant());
    }

    /** Endpoints failing since before the cutoff without a success. */
    List<WebhookEndpointId> failingSince(Instant cutoff) {
        List<WebhookEndpointId> ids = new ArrayList<>();
        health.find(Filters.lte("failingSince", Date.from(cutoff)))
                .forEach(d -> ids.add(new WebhookEndpointId(d.getString("_id"))));
        return ids;
    }
}
