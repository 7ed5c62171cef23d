package dev.keysmith.keys.tenant;

import dev.keysmith.keys.Projections;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;

@Component
class StreamingProjections implements Projections {

    private final EventStore eventStore;
    private final EventProcessingConfiguration processing;

    StreamingProjections(EventStore eventStore, EventProcessingConfiguration processing) {
        this.eventStore = eventStore;
        this.processing = processing;
    }

    @Override
    public boolean awaitCurrent(Duration timeout) {
        TrackingToken headToken = eventStore.createHeadToken();
        if (headToken == null) {
            return true;
        }
        OptionalLong head = headToken.position();
        if (head.isEmpty()) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(head.getAsLong())) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
        return true;
    }

    private boolean reached(long head) {
        return processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance)
                .map(StreamingEventProcessor.class::cast)
                .filter(StreamingEventProcessor::isRunning)
                .flatMap(processor -> processor.processingStatus().values().stream())
                .filter(status -> !status.isErrorState())
                .allMatch(status -> reachedBy(status, head));
    }

    private static boolean reachedBy(EventTrackerStatus status, long head) {
        OptionalLong position = status.getCurrentPosition();
        return position.isPresent() && position.getAsLong() >= head;
    }
}
