package dev.keysmith.keys.tenant;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.util.function.Supplier;

/**
 * An embedded mongo-java-server on a loopback port, reached through the real MongoDB driver: the same wire path the
 * application uses. Both backends are offered because the application runs on the H2 one and tests like the
 * memory one.
 */
final class TestMongo implements AutoCloseable {

    enum Backend {
        MEMORY(MemoryBackend::new),
        H2(H2Backend::inMemory);

        private final Supplier<MongoBackend> factory;

        Backend(Supplier<MongoBackend> factory) {
            this.factory = factory;
        }
    }

    private final MongoServer server;
    private final MongoClient client;

    private TestMongo(Backend backend) {
        MongoBackend mongoBackend = backend.factory.get();
        // the MongoDB 5 driver refuses mongo-java-server's default (3.6) wire version
        mongoBackend.version(ServerVersion.MONGO_5_0);
        this.server = new MongoServer(mongoBackend);
        this.client = MongoClients.create(server.bindAndGetConnectionString());
    }

    static TestMongo start(Backend backend) {
        return new TestMongo(backend);
    }

    MongoDatabase database(String name) {
        return client.getDatabase(name);
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}
