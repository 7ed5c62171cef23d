-- The nodes sharing this store (SegmentBalancer): each writes its heartbeat (epoch milliseconds) every second; a
-- node is live while its heartbeat is younger than the processors' claim timeout.
CREATE TABLE keysmith_nodes (
    node_id   VARCHAR(128) PRIMARY KEY,
    started   BIGINT       NOT NULL,
    heartbeat BIGINT       NOT NULL
);
