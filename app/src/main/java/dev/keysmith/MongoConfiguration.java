package dev.keysmith;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.keysmith.keys.ProjectionWrites;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * The read-model store: a real MongoDB when {@code KEYSMITH_MONGODB_URI} is set, otherwise mongo-java-server in
 * this process on a loopback port, persisted to an H2 MVStore file under the data directory. The embedded
 * store commits its file when an event batch commits, so a crash cannot leave projections behind their tokens
 * by more than the redelivered batch (projections are idempotent).
 */
@Configuration(proxyBeanMethods = false)
class MongoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MongoConfiguration.class);

    /** The embedded server, when there is one; closed with the context (after the client). */
    record EmbeddedMongo(MongoServer server, H2Backend backend, String connectionString) implements AutoCloseable {
        @Override
        public void close() {
            server.shutdownNow();
        }
    }

    @Bean
    EmbeddedMongo embeddedMongo(StorageProperties storage) {
        if (!storage.embedded()) {
            return null;
        }
        H2Backend backend;
        if ("memory".equals(storage.embeddedMongo())) {
            backend = H2Backend.inMemory();
        } else {
            try {
                Files.createDirectories(storage.dataDir());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the data directory " + storage.dataDir(), e);
            }
            backend = new H2Backend(storage.dataDir().resolve("mongo.mv").toAbsolutePath().toString());
        }
        backend.version(ServerVersion.MONGO_5_0);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        String connectionString = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
        log.info("Embedded MongoDB ({}) listening on {}", backend, connectionString);
        return new EmbeddedMongo(server, backend, connectionString);
    }

    @Bean(destroyMethod = "close")
    MongoClient mongoClient(StorageProperties storage, ObjectProvider<EmbeddedMongo> embedded) {
        String uri = storage.embedded() ? embedded.getObject().connectionString() : storage.mongodbUri();
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(10, TimeUnit.SECONDS))
                .build());
    }

    @Bean
    MongoDatabase mongoDatabase(MongoClient client, StorageProperties storage) {
        return client.getDatabase(storage.mongodbDatabase());
    }

    @Bean
    AbstractHealthIndicator mongoHealthIndicator(MongoDatabase database) {
        return new AbstractHealthIndicator("MongoDB health check failed") {
            @Override
            protected void doHealthCheck(Health.Builder builder) {
                Document result = database.runCommand(new Document("ping", 1));
                builder.up().withDetail("database", database.getName()).withDetail("ping", result.get("ok"));
            }
        };
    }

    /**
     * Commits the embedded store's file once per event-processing unit of work, after the projections' writes of
     * the batch and before its token is stored.
     */
    @Bean
    ConfigurerModule commitEmbeddedMongoWithTokens(ObjectProvider<EmbeddedMongo> embedded) {
        return configurer -> configurer.eventProcessing(processing -> processing.registerDefaultHandlerInterceptor(
                (configuration, name) -> embedded.getIfAvailable() == null
                        ? (unitOfWork, chain) -> chain.proceed()
                        : new CommitBackend(embedded.getObject().backend())));
    }

    private record CommitBackend(H2Backend backend) implements MessageHandlerInterceptor<EventMessage<?>> {
        @Override
        public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork,
                             InterceptorChain interceptorChain) throws Exception {
            ProjectionWrites.thenCommit(this, backend::commit); // after the batch's bulk writes
            return interceptorChain.proceed();
        }
    }
}
