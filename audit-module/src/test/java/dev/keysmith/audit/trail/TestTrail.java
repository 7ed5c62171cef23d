package dev.keysmith.audit.trail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.keysmith.audit.EventDescriber;
import org.axonframework.eventhandling.EventMessage;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The real audit trail projection, with every describer the application declares, on an embedded mongo-java-server
 * (memory backend): events projected here give the same subjects (which keys and endpoints a tenant has) as in the
 * running application, for tests of the modules that read them.
 */
public final class TestTrail implements AutoCloseable {

    private final MongoServer server;
    private final MongoClient client;
    private final AuditTrailProjection projection;
    private final TrailSubjects subjects;

    public TestTrail() {
        MemoryBackend backend = new MemoryBackend();
        backend.version(ServerVersion.MONGO_5_0);
        server = new MongoServer(backend);
        client = MongoClients.create(server.bindAndGetConnectionString());
        TrailStore store = new TrailStore(client.getDatabase("audit-test"));
        projection = new AuditTrailProjection(store, describers(), new ObjectMapper().findAndRegisterModules());
        subjects = new TrailSubjects(store);
    }

    /** The describer beans of {@link KeysDescribers} and {@link WebhooksDescribers}, as Spring would declare them. */
    static Describers describers() {
        List<EventDescriber<?>> all = new ArrayList<>();
        for (Object configuration : List.of(new KeysDescribers(), new WebhooksDescribers())) {
            for (Method method : configuration.getClass().getDeclaredMethods()) {
                if (method.isAnnotationPresent(org.springframework.context.annotation.Bean.class)) {
                    try {
                        method.setAccessible(true);
                        all.add((EventDescriber<?>) method.invoke(configuration));
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return new Describers(all);
    }

    /** Projects the events into the trail, in order. */
    public void project(List<? extends EventMessage<?>> events) {
        events.forEach(event -> projection.on(event.getPayload(), event));
    }

    public TrailSubjects subjects() {
        return subjects;
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}
