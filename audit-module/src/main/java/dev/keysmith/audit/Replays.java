package dev.keysmith.audit;

import java.time.Instant;
import java.util.List;

/**
 * Rebuilds projections from the event store: the processor is stopped, its tokens reset (its reset handlers empty
 * its collections), and started again; it then replays every event. Processors that must never replay (the
 * webhook dispatcher: a replay would re-send deliveries; the in-memory key index, which replays at every start)
 * are excluded by configuration ({@code keysmith.audit.replay-excluded}).
 */
public interface Replays {

    /** Every tracking processor of this node with its progress; excluded ones are listed as not replayable. */
    List<Status> status();

    /** Starts rebuilding the named processor; refused if unknown, excluded, or already replaying. */
    Status start(String processor);

    /**
     * A processor's progress: {@code position} of the slowest segment against the store's {@code head}; events per
     * second and seconds left since this node started its last replay (null when unknown).
     */
    record Status(String name, boolean replayable, boolean running, boolean replaying, boolean caughtUp,
                  long position, long head, Double eventsPerSecond, Long secondsLeft, Instant startedAt,
                  Instant finishedAt, Long replayedEvents, String error) {
    }
}
