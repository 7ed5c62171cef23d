package dev.keysmith;

import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.concurrent.TimeUnit;

/**
 * The event store and tracking tokens: Axon's JDBC storage engine (auto-configured from the {@code DataSource})
 * on H2 in file mode under the data directory, or PostgreSQL when {@code KEYSMITH_DB_URL} is set. Flyway
 * creates the tables ({@code db/migration/h2}, {@code db/migration/postgresql}).
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

    /**
     * H2 settings that make an acknowledged event survive kill -9 and keep the file compact (STACK.md). The file is
     * opened through H2's {@code async:} file system: with the default one, a thread interrupted while writing (Axon
     * interrupts a processor's thread when it stops it, as a replay does) closes the file channel and with it the
     * whole database ("The database has been closed").
     */
    static final String H2_SETTINGS = ";WRITE_DELAY=0;RETENTION_TIME=0;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE";

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties properties, StorageProperties storage) {
        if (properties.getUrl() == null || properties.getUrl().isBlank()) {
            properties.setUrl("jdbc:h2:async:" + storage.dataDir().toAbsolutePath().resolve("events") + H2_SETTINGS);
        }
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }

    /**
     * Recognises a duplicate (aggregate, sequence) on both databases, so a concurrent append surfaces as Axon's
     * {@code ConcurrencyException}: H2 raises {@link SQLIntegrityConstraintViolationException}, PostgreSQL
     * SQLState 23505.
     */
    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return exception -> {
            for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLIntegrityConstraintViolationException
                        || cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * Axon's JDBC storage engine exactly as its auto-configuration builds it (which backs off once the application
     * defines its own event store, below).
     */
    @Bean
    EventStorageEngine eventStorageEngine(@Qualifier("serializer") Serializer serializer,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider, TransactionManager transactionManager) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(new EventSchema())
                .build();
    }

    /**
     * Axon's event store as its auto-configuration builds it, except for how often an idle node polls the storage
     * for events that other nodes appended ({@code keysmith.processors.fetch-delay}; Axon's default, 1 s, would
     * delay every cross-node change, and read-your-writes on a node waits for the node that projects it).
     */
    @Bean(name = "eventBus")
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration,
                                  ProcessorProperties processors) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(processors.fetchDelay().toMillis())
                .build();
    }

    /**
     * Projections read in batches of up to {@value #BATCH} events: one bulk write per collection
     * ({@code ProjectionWrites}) and one token update per batch. A handler that fails fails its batch, which the
     * processor retries with back-off (Axon's default would log the failure and skip the event: a projection would
     * silently lose it, e.g. while MongoDB is down).
     * <p>
     * Several nodes share the work of the processors whose tokens are stored: each has
     * {@code keysmith.processors.segments} segments and as many threads, so one node can hold them all, and the
     * {@link SegmentBalancer} hands the excess to the other live nodes. Events of one tenant stay in one segment, in
     * order ({@link TenantSequencingPolicy}). Pinned to one segment: the verification index's stored copy (one
     * stream position for the whole copy). The in-memory verification index is per node (its token store is in
     * memory, ApiKeyConfiguration) and keeps its own single-segment configuration.
     */
    @Bean
    ConfigurerModule batchProjections(ProcessorProperties processors) {
        long claimInterval = processors.claimInterval().toMillis();
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessorConfiguration(configuration ->
                        TrackingEventProcessorConfiguration.forParallelProcessing(processors.segments())
                                .andInitialSegmentsCount(processors.segments())
                                .andTokenClaimInterval(claimInterval, TimeUnit.MILLISECONDS)
                                .andBatchSize(BATCH))
                .registerTrackingEventProcessorConfiguration(KEY_INDEX_STORE, configuration ->
                        TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andTokenClaimInterval(claimInterval, TimeUnit.MILLISECONDS)
                                .andBatchSize(BATCH))
                .registerDefaultSequencingPolicy(configuration -> TenantSequencingPolicy.INSTANCE)
                .registerDefaultListenerInvocationErrorHandler(configuration -> PropagatingErrorHandler.instance()));
    }

    /** The processor that keeps the verification index's stored copy (keys module, KeyIndexStore). */
    static final String KEY_INDEX_STORE = "key-index-store";

    static final int BATCH = 1_000;
}
