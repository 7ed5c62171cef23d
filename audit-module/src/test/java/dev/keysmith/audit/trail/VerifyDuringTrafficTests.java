package dev.keysmith.audit.trail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.keysmith.audit.AuditProperties;
import dev.keysmith.audit.ChainCheck;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyRenamed;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verification while traffic goes on: a record whose event was stored after the check began is not a break (it was
 * reported as "altered: no event in the store" before), but a record whose event is nowhere in the store still is.
 */
class VerifyDuringTrafficTests {

    private final TenantId tenant = TenantId.generate();
    private final ApiKeyId key = ApiKeyId.generate();
    private final InMemoryEventStorageEngine store = new InMemoryEventStorageEngine();
    private MongoServer server;
    private MongoClient client;
    private AuditTrailProjection projection;
    private MongoAuditTrail trail;

    @BeforeEach
    void trail() {
        MemoryBackend backend = new MemoryBackend();
        backend.version(ServerVersion.MONGO_5_0);
        server = new MongoServer(backend);
        client = MongoClients.create(server.bindAndGetConnectionString());
        TrailStore trailStore = new TrailStore(client.getDatabase("verify-test"));
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        projection = new AuditTrailProjection(trailStore, TestTrail.describers(), json);
        // the events are projected here as they are stored, so the projections are always current
        trail = new MongoAuditTrail(trailStore, store, timeout -> true, json,
                new AuditProperties(null, null, null, null), TestTrail.describers());
    }

    @AfterEach
    void close() {
        client.close();
        server.shutdownNow();
    }

    private void storeAndProject(Object payload) {
        EventMessage<?> event = GenericEventMessage.asEventMessage(payload).andMetaData(Map.of(
                "actor", "owner@example.test", "actorType", "USER", "ip", "203.0.113.1"));
        store.appendEvents(List.of(event));
        projection.on(event.getPayload(), event);
    }

    @Test
    void aRecordOfAnEventStoredAfterTheCheckBeganIsNotABreak() {
        storeAndProject(new ApiKeyCreated(key, tenant, "Billing", Environment.PRODUCTION, null, List.of(), null,
                "%064x".formatted(1), "ks_live_0001", "abcd", false));
        storeAndProject(new ApiKeyRenamed(key, tenant, "Billing", "Billing 2"));
        TrackingToken checkBegan = store.createHeadToken();
        storeAndProject(new ApiKeyRenamed(key, tenant, "Billing 2", "Billing 3"));

        ChainCheck check = trail.verify(tenant, checkBegan);
        assertThat(check.intact()).as(check.detail()).isTrue();
        assertThat(check.storeEvents()).isEqualTo(2);
        assertThat(check.records()).isEqualTo(3);

        assertThat(trail.verify(tenant).records()).isEqualTo(3);
    }

    @Test
    void aRecordWhoseEventIsNowhereInTheStoreIsStillReported() {
        storeAndProject(new ApiKeyCreated(key, tenant, "Billing", Environment.PRODUCTION, null, List.of(), null,
                "%064x".formatted(1), "ks_live_0001", "abcd", false));
        storeAndProject(new ApiKeyRenamed(key, tenant, "Billing", "Billing 2"));
        TrackingToken checkBegan = store.createHeadToken();
        client.getDatabase("verify-test").getCollection("audit_trail").updateOne(
                Filters.and(Filters.eq("tenantId", tenant.value()), Filters.eq("position", 2L)),
                Updates.set("eventId", "a-forged-event-id"));

        ChainCheck check = trail.verify(tenant, checkBegan);
        assertThat(check.intact()).isFalse();
        assertThat(check.breakPosition()).isEqualTo(2);
        assertThat(check.kind()).isEqualTo(ChainCheck.Break.ALTERED);
    }
}
