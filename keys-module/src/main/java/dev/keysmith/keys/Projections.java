package dev.keysmith.keys;

import java.time.Duration;

/**
 * Read-your-writes for the UI and API: after a command returns, {@link #awaitCurrent} waits (briefly) until every
 * streaming processor of this node has handled every event stored so far, so the next read shows the change.
 */
public interface Projections {

    /** Waits until this node's projections reach the event store's head; gives up quietly after the timeout. */
    boolean awaitCurrent(Duration timeout);

    default boolean awaitCurrent() {
        return awaitCurrent(Duration.ofSeconds(5));
    }
}
