package dev.keysmith;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Spreads the shared processors' segments over the live nodes. Axon's tracking processor claims every unclaimed
 * segment it has a thread for, so the first node to start takes them all. Each node writes a heartbeat to
 * {@code keysmith_nodes} every second and counts the nodes whose heartbeat is younger than the claim timeout; a
 * node holding more than its fair share ({@code ceil(segments / live nodes)}) of a processor's segments releases
 * the excess for a while, and the others claim them. When a node dies, its heartbeat ages out, the survivors'
 * fair share grows, and they claim its segments once its claims time out.
 */
@Component
class SegmentBalancer {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);

    private final JdbcTemplate jdbc;
    private final EventProcessingConfiguration processing;
    private final ProcessorProperties properties;
    private final String nodeId = "node-" + UUID.randomUUID();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "segment-balancer");
        thread.setDaemon(true);
        return thread;
    });

    SegmentBalancer(JdbcTemplate jdbc, EventProcessingConfiguration processing, ProcessorProperties properties) {
        this.jdbc = jdbc;
        this.processing = processing;
        this.properties = properties;
    }

    /** Joins with a first heartbeat at once (the tick inserts this node's row), then one per heartbeat period. */
    @EventListener(ApplicationReadyEvent.class)
    void start() {
        log.info("Node {} joins; processors get {} segments, claim timeout {}", nodeId, properties.segments(),
                properties.claimTimeout());
        timer.scheduleWithFixedDelay(this::tick, 0, properties.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
    }

    @EventListener(ContextClosedEvent.class)
    void stop() {
        timer.shutdownNow();
        try {
            jdbc.update("DELETE FROM keysmith_nodes WHERE node_id = ?", nodeId);
        } catch (RuntimeException e) {
            log.debug("Could not remove node {} from keysmith_nodes: {}", nodeId, e.toString());
        }
    }

    private void tick() {
        try {
            long now = System.currentTimeMillis();
            if (jdbc.update("UPDATE keysmith_nodes SET heartbeat = ? WHERE node_id = ?", now, nodeId) == 0) {
                jdbc.update("INSERT INTO keysmith_nodes (node_id, started, heartbeat) VALUES (?, ?, ?)", nodeId, now, now);
            }
            long liveSince = now - properties.claimTimeout().toMillis();
            Integer live = jdbc.queryForObject("SELECT count(*) FROM keysmith_nodes WHERE heartbeat > ?",
                    Integer.class, liveSince);
            // rows of nodes that died long ago
            jdbc.update("DELETE FROM keysmith_nodes WHERE heartbeat < ?", now - TimeUnit.HOURS.toMillis(1));
            balance(Math.max(1, live == null ? 1 : live));
        } catch (RuntimeException e) {
            log.warn("Segment balancing skipped this round: {}", e.toString());
        }
    }

    private void balance(int liveNodes) {
        Map<String, Integer> segmentsByProcessor = new HashMap<>();
        jdbc.query("SELECT processorname, count(*) FROM tokenentry GROUP BY processorname",
                row -> {
                    segmentsByProcessor.put(row.getString(1), row.getInt(2));
                });
        segmentsByProcessor.forEach((name, segments) -> {
            if (segments < 2) {
                return;
            }
            processing.eventProcessor(name, StreamingEventProcessor.class)
                    .filter(StreamingEventProcessor::isRunning)
                    .ifPresent(processor -> release(processor, segments, liveNodes));
        });
    }

    private void release(StreamingEventProcessor processor, int segments, int liveNodes) {
        int fairShare = (segments + liveNodes - 1) / liveNodes;
        List<Integer> held = new ArrayList<>(processor.processingStatus().keySet());
        if (held.size() <= fairShare) {
            return;
        }
        held.sort(null);
        long releaseFor = Math.max(properties.claimInterval().toMillis() * 3, properties.heartbeat().toMillis() * 3);
        for (Integer segment : held.subList(fairShare, held.size())) {
            log.info("Node {} releases segment {} of {} ({} live nodes, fair share {})", nodeId, segment,
                    processor.getName(), liveNodes, fairShare);
            processor.releaseSegment(segment, releaseFor, TimeUnit.MILLISECONDS);
        }
    }
}
