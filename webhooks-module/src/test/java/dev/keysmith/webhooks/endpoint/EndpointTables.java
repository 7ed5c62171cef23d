package dev.keysmith.webhooks.endpoint;

import com.mongodb.client.MongoDatabase;
import dev.keysmith.webhooks.events.WebhookEndpointCreated;

import java.time.Instant;

/** Test access to the package-private handlers of the endpoint table. */
public final class EndpointTables {

    private EndpointTables() {
    }

    public record Handle(EndpointTable table) {
        public void on(WebhookEndpointCreated event, Instant at) {
            table.on(event, at);
        }

        public void reset() {
            table.reset();
        }
    }

    public static Handle create(MongoDatabase database) {
        return new Handle(new EndpointTable(database));
    }
}
