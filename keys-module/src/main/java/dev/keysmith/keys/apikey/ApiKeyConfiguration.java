package dev.keysmith.keys.apikey;

import dev.keysmith.keys.KeyIndex;
import dev.keysmith.keys.KeySecrets;
import dev.keysmith.keys.KeysProperties;
import dev.keysmith.keys.Verification;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventhandling.LoggingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.function.BooleanSupplier;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeysProperties.class)
class ApiKeyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyConfiguration.class);

    @Bean
    Verification verification(KeyIndex index, EventProcessingConfiguration processing) {
        return new Verification(index, new IndexLoaded(processing));
    }

    /** True once the key-index processor has caught up with the event store since start-up (then stays true). */
    static final class IndexLoaded implements BooleanSupplier {
        private final EventProcessingConfiguration processing;
        private volatile boolean loaded;

        IndexLoaded(EventProcessingConfiguration processing) {
            this.processing = processing;
        }

        @Override
        public boolean getAsBoolean() {
            if (!loaded) {
                loaded = processing.eventProcessor(InMemoryKeyIndex.GROUP, StreamingEventProcessor.class)
                        .filter(StreamingEventProcessor::isRunning)
                        .map(processor -> !processor.processingStatus().isEmpty() && processor.processingStatus()
                                .values().stream().allMatch(EventTrackerStatus::isCaughtUp))
                        .orElse(false);
            }
            return loaded;
        }
    }

    @Bean
    SecretIssuer secretIssuer() {
        return KeySecrets::generate;
    }

    /** A snapshot every 50 events keeps a busy key (one usage event per flush interval) cheap to load. */
    @Bean
    SnapshotTriggerDefinition apiKeySnapshotTrigger(Snapshotter snapshotter) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, 50);
    }

    /**
     * The verification index is rebuilt at every start (its tracking token stays in memory): loaded from its stored
     * copy, then the events after the copy's position; from the whole stream when there is no copy or MongoDB
     * cannot be read (verification must work without MongoDB).
     */
    @Bean
    ConfigurerModule keyIndexLoadedAtStart(ObjectProvider<InMemoryKeyIndex> index, ObjectProvider<KeyIndexStore> store) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerSubscribingEventProcessor(KeyIndexLocalFeed.GROUP)
                // after commit, in the committing thread: a failure must not reach the command (the tracking feed
                // applies the same event moments later)
                .registerListenerInvocationErrorHandler(KeyIndexLocalFeed.GROUP, configuration -> new LoggingErrorHandler())
                .registerTokenStore(InMemoryKeyIndex.GROUP, configuration -> new InMemoryTokenStore())
                .registerTrackingEventProcessorConfiguration(InMemoryKeyIndex.GROUP, configuration ->
                        TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(1_000)
                                .andInitialTrackingToken(source -> load(index.getObject(), store.getObject(), source))));
    }

    private static TrackingToken load(InMemoryKeyIndex index, KeyIndexStore store, StreamableMessageSource<?> source) {
        long started = System.nanoTime();
        try {
            TrackingToken position = store.loadInto(index);
            if (position != null) {
                log.info("Verification index loaded from its stored copy: {} secrets in {} ms, following the events "
                        + "after position {}", index.size(), (System.nanoTime() - started) / 1_000_000,
                        position.position().orElse(-1));
                return position;
            }
            log.info("Verification index: no stored copy yet, replaying the event stream");
        } catch (RuntimeException e) {
            index.reset();
            log.warn("Verification index: its stored copy could not be read ({}), replaying the event stream instead",
                    e.toString());
        }
        return source.createTailToken();
    }
}
