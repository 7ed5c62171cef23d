package dev.keysmith.audit;

/**
 * The result of walking a tenant's chain and the event store side by side. {@code intact} when every record's hash
 * is right, each links to the one before, and the trail holds exactly the tenant's events in store order; otherwise
 * the first break: its position and {@code kind} ({@link Break}) and a sentence saying what was found.
 */
public record ChainCheck(boolean intact, long records, long storeEvents, ChainHead head, Long breakPosition,
                         Break kind, String detail) {

    /** What went wrong at the first break. */
    public enum Break {
        /** The record's content or hash no longer matches (or no longer matches its event in the store). */
        ALTERED,
        /** A position is missing from the trail: a record was deleted. */
        REMOVED,
        /** The record at this position belongs at another position of the store's order. */
        REORDERED,
        /** The event store holds an event of the tenant that the trail lacks. */
        MISSING;

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
