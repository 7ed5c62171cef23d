package dev.keysmith.keys.tenant;

import com.mongodb.client.MongoClient;
import com.mongodb.connection.ClusterDescription;
import dev.keysmith.keys.Projections;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Read-your-writes over this node's streaming processors. With several nodes, a processor's segments are spread
 * over them: this node's segments count by their live status; the others' by their stored token
 * ({@code tokenentry}, read without claiming), and a stored token behind the head still counts as current when none
 * of the events after it is one that segment handles (a segment stores its token only some time after events that
 * are not its own). So a node neither waits for segments that have nothing to do, nor returns before the node
 * that holds the change's segment has projected it.
 * <p>
 * While MongoDB, where every projection writes, is known to be unreachable, the wait ends at once: no projection
 * can catch up, and commands, which do not need MongoDB, should not wait out the timeout in an outage.
 */
@Component
class StreamingProjections implements Projections {

    private static final long STORED_TOKENS_EVERY = Duration.ofMillis(10).toNanos();

    private final EventStore eventStore;
    private final EventStorageEngine storage;
    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final ObjectProvider<MongoClient> mongo;

    StreamingProjections(EventStore eventStore, EventStorageEngine storage, EventProcessingConfiguration processing,
                         JdbcTemplate jdbc, Serializer serializer, ObjectProvider<MongoClient> mongo) {
        this.eventStore = eventStore;
        this.storage = storage;
        this.processing = processing;
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.mongo = mongo;
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
        Map<String, Map<Integer, TrackingToken>> stored = storedTokens();
        long storedAt = System.nanoTime();
        while (!reached(head.getAsLong(), stored)) {
            if (System.nanoTime() > deadline || readModelsUnreachable()) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
            if (System.nanoTime() - storedAt > STORED_TOKENS_EVERY) {
                stored = storedTokens();
                storedAt = System.nanoTime();
            }
        }
        return true;
    }

    private boolean reached(long head, Map<String, Map<Integer, TrackingToken>> stored) {
        return processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance)
                .map(StreamingEventProcessor.class::cast)
                .filter(StreamingEventProcessor::isRunning)
                .allMatch(processor -> reached(processor, head, stored.getOrDefault(processor.getName(), Map.of())));
    }

    private boolean reached(StreamingEventProcessor processor, long head, Map<Integer, TrackingToken> stored) {
        Map<Integer, EventTrackerStatus> local = processor.processingStatus();
        for (EventTrackerStatus status : local.values()) {
            if (!status.isErrorState() && !reachedBy(status.getCurrentPosition(), head)) {
                return false;
            }
        }
        // segments held elsewhere (or by nobody, between a node's death and the take-over)
        int[] segmentIds = stored.keySet().stream().mapToInt(Integer::intValue).toArray();
        for (Map.Entry<Integer, TrackingToken> segment : stored.entrySet()) {
            TrackingToken token = segment.getValue();
            if (!local.containsKey(segment.getKey())
                    && !reachedBy(token == null ? OptionalLong.empty() : token.position(), head)
                    && (token == null || hasWork(processor, Segment.computeSegment(segment.getKey(), segmentIds), token, head))) {
                return false;
            }
        }
        return true;
    }

    /** Whether any event after {@code token}, up to the head, is one that this segment of the processor handles. */
    private boolean hasWork(StreamingEventProcessor processor, Segment segment, TrackingToken token, long head) {
        if (!(processor instanceof AbstractEventProcessor abstractProcessor)) {
            return true;
        }
        EventHandlerInvoker invoker = abstractProcessor.eventHandlerInvoker();
        try (Stream<? extends TrackedEventMessage<?>> events = storage.readEvents(token, false)) {
            return events.takeWhile(event -> event.trackingToken().position().orElse(Long.MAX_VALUE) <= head)
                    .anyMatch(event -> {
                        try {
                            return invoker.canHandle(event, segment);
                        } catch (Exception e) {
                            return true;
                        }
                    });
        } catch (RuntimeException storeDown) {
            return true;
        }
    }

    /**
     * Whether the MongoDB driver has tried every server it knows and failed (a server it is still connecting to for
     * the first time, at start-up, has no failure yet, so it does not count as unreachable).
     */
    private boolean readModelsUnreachable() {
        MongoClient client = mongo.getIfAvailable();
        return client != null && unreachable(client.getClusterDescription());
    }

    static boolean unreachable(ClusterDescription cluster) {
        return !cluster.hasWritableServer() && !cluster.getServerDescriptions().isEmpty()
                && cluster.getServerDescriptions().stream().allMatch(server -> server.getException() != null);
    }

    private static boolean reachedBy(OptionalLong position, long head) {
        return position.isPresent() && position.getAsLong() >= head;
    }

    /** Every stored segment's token, by processor (processors with tokens in memory are not there). */
    private Map<String, Map<Integer, TrackingToken>> storedTokens() {
        Map<String, Map<Integer, TrackingToken>> tokens = new HashMap<>();
        List<Map<String, Object>> rows;
        try {
            rows = jdbc.queryForList("SELECT processorname, segment, token, tokentype FROM tokenentry");
        } catch (RuntimeException storeDown) {
            return tokens; // the live statuses still count; the command itself reports the outage
        }
        for (Map<String, Object> row : rows) {
            TrackingToken token = null;
            if (row.get("token") instanceof byte[] bytes && row.get("tokentype") instanceof String type) {
                token = serializer.deserialize(
                        new SimpleSerializedObject<>(bytes, byte[].class, new SimpleSerializedType(type, null)));
            }
            tokens.computeIfAbsent((String) row.get("processorname"), name -> new HashMap<>())
                    .put(((Number) row.get("segment")).intValue(), token);
        }
        return tokens;
    }
}
