package dev.keysmith.webhooks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/** An embedded mongo-java-server (memory backend) reached through the real driver, as the application does. */
public final class TestMongo implements AutoCloseable {

    private final MongoServer server;
    private final MongoClient client;

    public TestMongo() {
        MemoryBackend backend = new MemoryBackend();
        backend.version(ServerVersion.MONGO_5_0);
        server = new MongoServer(backend);
        client = MongoClients.create(server.bindAndGetConnectionString());
    }

    public MongoDatabase database() {
        return client.getDatabase("webhooks-test");
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}
