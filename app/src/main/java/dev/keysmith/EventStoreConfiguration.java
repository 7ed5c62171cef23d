package dev.keysmith;

import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

/**
 * The event store and tracking tokens: Axon's JDBC storage engine (auto-configured from the {@code DataSource})
 * on H2 in file mode under the data directory, or PostgreSQL when {@code KEYSMITH_DB_URL} is set. Flyway
 * creates the tables ({@code db/migration/h2}, {@code db/migration/postgresql}).
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

    /** H2 settings that make an acknowledged event survive kill -9 and keep the file compact (STACK.md). */
    static final String H2_SETTINGS = ";WRITE_DELAY=0;RETENTION_TIME=0;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE";

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties properties, StorageProperties storage) {
        if (properties.getUrl() == null || properties.getUrl().isBlank()) {
            properties.setUrl("jdbc:h2:file:" + storage.dataDir().toAbsolutePath().resolve("events") + H2_SETTINGS);
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

    /** Projections read in batches of 100 events: one read-model commit and one token update per batch. */
    @Bean
    ConfigurerModule batchProjections() {
        return configurer -> configurer.eventProcessing(processing ->
                processing.registerTrackingEventProcessorConfiguration(configuration ->
                        TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(100)));
    }
}
