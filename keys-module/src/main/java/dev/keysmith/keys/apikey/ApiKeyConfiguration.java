package dev.keysmith.keys.apikey;

import dev.keysmith.keys.KeyIndex;
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
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.function.BooleanSupplier;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeysProperties.class)
class ApiKeyConfiguration {

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

    /** A snapshot every 50 events keeps a busy key (one usage event per flush interval) cheap to load. */
    @Bean
    SnapshotTriggerDefinition apiKeySnapshotTrigger(Snapshotter snapshotter) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, 50);
    }

    /** The verification index is rebuilt from the event stream at every start: its tracking token stays in memory. */
    @Bean
    ConfigurerModule keyIndexTokenInMemory() {
        return configurer -> configurer.eventProcessing(processing -> processing.registerTokenStore(
                InMemoryKeyIndex.GROUP, configuration -> new InMemoryTokenStore()));
    }
}
