package dev.keysmith;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How the projections' tracking processors share their work between nodes ({@code keysmith.processors.*},
 * docs/operations.md).
 *
 * @param segments      segments of each shared processor (key table, audit trail, usage, webhooks, tenant
 *                      directory), and threads per node so that one node can hold them all
 *                      ({@code KEYSMITH_PROCESSOR_SEGMENTS}, default 1: one node needs no more, and each segment
 *                      reads the stream on its own thread). Applies when a processor's tokens are first created;
 *                      an existing token table keeps its segments, so set it before the first start of a cluster.
 * @param claimTimeout  how long a segment's claim lasts without being extended: a node that died holds its
 *                      segments this long ({@code KEYSMITH_PROCESSOR_CLAIM_TIMEOUT}, default 10s; Axon's
 *                      {@code axon.eventhandling.tokenstore.claim-timeout}). Also how long a node counts as live
 *                      after its last heartbeat.
 * @param claimInterval how often a node tries to claim unclaimed segments (default 1s)
 * @param fetchDelay    how often an idle node polls the event store for events appended by other nodes (default
 *                      100ms; Axon's default is 1s): the delay before another node's change reaches this node's
 *                      verification index and its segments of the projections
 */
@ConfigurationProperties("keysmith.processors")
record ProcessorProperties(Integer segments, Duration claimTimeout, Duration claimInterval, Duration fetchDelay) {

    ProcessorProperties {
        segments = segments != null && segments > 0 ? segments : 1;
        claimTimeout = claimTimeout != null ? claimTimeout : Duration.ofSeconds(10);
        claimInterval = claimInterval != null ? claimInterval : Duration.ofSeconds(1);
        fetchDelay = fetchDelay != null ? fetchDelay : Duration.ofMillis(100);
    }

    /** How often a node writes its heartbeat and rebalances: a few times per claim timeout, at most every 1 s. */
    Duration heartbeat() {
        Duration third = claimTimeout.dividedBy(3);
        return third.compareTo(Duration.ofSeconds(1)) < 0 ? third : Duration.ofSeconds(1);
    }
}
