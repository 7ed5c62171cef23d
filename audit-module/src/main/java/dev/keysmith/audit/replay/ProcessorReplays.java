package dev.keysmith.audit.replay;

import dev.keysmith.audit.AuditProperties;
import dev.keysmith.audit.Replays;
import dev.keysmith.keys.KeysmithException;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replays over Axon's streaming processors: {@code shutDown(); resetTokens(); start()} (the reset runs the
 * processor's {@code @ResetHandler}s, which empty its collections). Progress is the processor's tracker status
 * against the store's head token; the rate is measured from the moment this node started the replay.
 */
@Component
class ProcessorReplays implements Replays {

    private static final Logger log = LoggerFactory.getLogger(ProcessorReplays.class);

    /** A replay this node started: when, and (once observed) when it caught up. */
    private static final class Run {
        final Instant startedAt;
        final long startedNanos;
        volatile Instant finishedAt;
        volatile long finishedPosition;

        Run(Instant startedAt, long startedNanos) {
            this.startedAt = startedAt;
            this.startedNanos = startedNanos;
        }
    }

    private final EventProcessingConfiguration processing;
    private final EventStorageEngine events;
    private final AuditProperties properties;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    ProcessorReplays(EventProcessingConfiguration processing, EventStorageEngine events, AuditProperties properties) {
        this.processing = processing;
        this.events = events;
        this.properties = properties;
    }

    @Override
    public List<Status> status() {
        long head = head();
        List<Status> all = new ArrayList<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                all.add(status(name, streaming, head));
            }
        });
        all.sort(Comparator.comparing(Status::name));
        return all;
    }

    @Override
    public synchronized Status start(String name) {
        StreamingEventProcessor processor = processing.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> new KeysmithException.NotFound("processor_not_found",
                        "There is no projection named " + name + "."));
        if (!replayable(name, processor)) {
            throw new KeysmithException.Forbidden("replay_not_allowed", "The projection " + name
                    + " is never replayed (it would repeat side effects, or it rebuilds itself at every start).");
        }
        if (processor.isReplaying()) {
            throw new KeysmithException.Conflict("replay_in_progress", "The projection " + name
                    + " is already being rebuilt; wait until it catches up.");
        }
        log.info("Replaying projection {} from the start of the event store", name);
        processor.shutDown();
        processor.resetTokens();
        runs.put(name, new Run(clock.instant(), System.nanoTime()));
        processor.start();
        return status(name, processor, head());
    }

    private boolean replayable(String name, StreamingEventProcessor processor) {
        return !properties.replayExcluded().contains(name) && processor.supportsReset();
    }

    private long head() {
        TrackingToken token = events.createHeadToken();
        return token == null ? -1 : token.position().orElse(-1);
    }

    private Status status(String name, StreamingEventProcessor processor, long head) {
        Map<Integer, EventTrackerStatus> statuses = processor.processingStatus();
        long position = statuses.values().stream().map(EventTrackerStatus::getCurrentPosition)
                .filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).min().orElse(-1);
        String error = statuses.values().stream().filter(EventTrackerStatus::isErrorState)
                .map(status -> status.getError() == null ? "error" : status.getError().getClass().getSimpleName()
                        + ": " + status.getError().getMessage())
                .findFirst().orElse(null);
        boolean replaying = processor.isReplaying();
        boolean caughtUp = !replaying && !statuses.isEmpty() && position >= head
                && statuses.values().stream().allMatch(EventTrackerStatus::isCaughtUp);
        Run run = runs.get(name);
        Double rate = null;
        Long secondsLeft = null;
        Long replayed = null;
        Instant finishedAt = null;
        if (run != null) {
            if (run.finishedAt == null && caughtUp) {
                run.finishedPosition = position;
                run.finishedAt = clock.instant();
            }
            finishedAt = run.finishedAt;
            long upTo = run.finishedAt != null ? run.finishedPosition : position;
            replayed = Math.max(0, upTo + 1);
            long nanos = run.finishedAt != null
                    ? Duration.between(run.startedAt, run.finishedAt).toNanos()
                    : System.nanoTime() - run.startedNanos;
            if (nanos > 0 && replayed > 0) {
                rate = replayed / (nanos / 1e9);
                secondsLeft = run.finishedAt != null ? 0L : Math.round(Math.max(0, head - position) / rate);
            }
        }
        return new Status(name, replayable(name, processor), processor.isRunning(), replaying, caughtUp, position,
                head, rate, secondsLeft, run == null ? null : run.startedAt, finishedAt, replayed, error);
    }
}
