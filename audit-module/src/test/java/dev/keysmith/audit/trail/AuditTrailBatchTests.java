package dev.keysmith.audit.trail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.keysmith.audit.AuditChain;
import dev.keysmith.audit.AuditRecord;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyRenamed;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trail chains a processor's batch of events in memory and inserts it at once. A batch must give exactly the
 * trail that projecting the events one by one gives, also when the batch is redelivered in part or in whole (a crash
 * between the trail's writes and the processor's token), and the chain must hold.
 */
class AuditTrailBatchTests {

    private MongoServer server;
    private MongoClient client;
    private final List<EventMessage<?>> events = new ArrayList<>();

    @BeforeEach
    void history() {
        MemoryBackend backend = new MemoryBackend();
        backend.version(ServerVersion.MONGO_5_0);
        server = new MongoServer(backend);
        client = MongoClients.create(server.bindAndGetConnectionString());
        List<TenantId> tenants = List.of(TenantId.generate(), TenantId.generate());
        for (int k = 0; k < 10; k++) {
            TenantId tenant = tenants.get(k % 2);
            ApiKeyId key = ApiKeyId.generate();
            events.add(event(new ApiKeyCreated(key, tenant, "Key " + k, Environment.PRODUCTION, null, List.of(), null,
                    "%064x".formatted(k), "ks_live_000" + k, "abcd", false)));
            events.add(event(new ApiKeyRenamed(key, tenant, "Key " + k, "Key " + k + " renamed")));
        }
    }

    @AfterEach
    void close() {
        client.close();
        server.shutdownNow();
    }

    @Test
    void aBatchGivesTheTrailThatOneByOneGives() {
        Projection oneByOne = new Projection("one-by-one");
        events.forEach(oneByOne::project);
        Projection batched = new Projection("batched");
        batched.projectBatch(events.subList(0, 7));
        batched.projectBatch(events.subList(7, events.size()));

        assertThat(oneByOne.trail()).hasSize(events.size());
        assertChained(oneByOne.records());
        assertThat(batched.trail()).isEqualTo(oneByOne.trail());
        assertThat(batched.heads()).isEqualTo(oneByOne.heads());
    }

    @Test
    void aRedeliveredBatchAddsOnlyWhatTheTrailLacks() {
        Projection expected = new Projection("expected");
        events.forEach(expected::project);
        Projection redelivered = new Projection("redelivered");
        redelivered.projectBatch(events.subList(0, 12));
        redelivered.projectBatch(events.subList(5, events.size())); // the token was behind: 5..11 come again
        redelivered.projectBatch(events);

        assertThat(redelivered.trail()).isEqualTo(expected.trail());
        assertThat(redelivered.heads()).isEqualTo(expected.heads());
    }

    @Test
    void aCrashAfterTheRecordsButBeforeTheHeadsIsRepairedByTheRedelivery() {
        Projection expected = new Projection("expected-crash");
        events.forEach(expected::project);
        Projection crashed = new Projection("crashed");
        crashed.projectBatch(events.subList(0, 9));
        crashed.database.getCollection("audit_heads").deleteMany(new Document()); // heads never written
        Projection restarted = new Projection("crashed"); // a new node: nothing cached
        restarted.projectBatch(events);

        assertThat(restarted.trail()).isEqualTo(expected.trail());
        assertThat(restarted.heads()).isEqualTo(expected.heads());
    }

    private static void assertChained(List<AuditRecord> records) {
        Map<String, List<AuditRecord>> byTenant = new java.util.LinkedHashMap<>();
        records.forEach(r -> byTenant.computeIfAbsent(r.tenantId(), t -> new ArrayList<>()).add(r));
        byTenant.values().forEach(chain -> {
            String previous = AuditChain.GENESIS;
            for (int i = 0; i < chain.size(); i++) {
                AuditRecord record = chain.get(i);
                assertThat(record.position()).isEqualTo(i + 1);
                assertThat(record.prevHash()).isEqualTo(previous);
                assertThat(record.hash()).isEqualTo(AuditChain.hash(record.withHash(null)));
                previous = record.hash();
            }
        });
    }

    private static EventMessage<?> event(Object payload) {
        return GenericEventMessage.asEventMessage(payload).andMetaData(Map.of("actor", "owner@example.test",
                "actorType", "USER", "ip", "203.0.113.1"));
    }

    /** A trail on its own database, projected one event at a time or in processor-like batches. */
    private final class Projection {
        final MongoDatabase database;
        final AuditTrailProjection projection;

        Projection(String name) {
            database = client.getDatabase(name);
            projection = new AuditTrailProjection(new TrailStore(database), TestTrail.describers(),
                    new ObjectMapper().findAndRegisterModules());
        }

        void project(EventMessage<?> event) {
            projection.on(event.getPayload(), event);
        }

        void projectBatch(List<EventMessage<?>> batch) {
            BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
            ResultMessage<?> result = unitOfWork.executeWithResult(() -> {
                project(unitOfWork.getMessage());
                return null;
            }, RollbackConfigurationType.ANY_THROWABLE);
            assertThat(result.isExceptional()).as("the batch failed: %s",
                    result.isExceptional() ? result.exceptionResult() : null).isFalse();
        }

        List<Document> trail() {
            return database.getCollection("audit_trail").find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
        }

        List<AuditRecord> records() {
            return trail().stream().map(TrailStore::record).toList();
        }

        List<Document> heads() {
            return database.getCollection("audit_heads").find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
        }
    }
}
