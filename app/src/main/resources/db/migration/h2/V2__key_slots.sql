-- Command-side state for the active-key limit (see KeySlots): one lock row per tenant, one slot per key.
CREATE TABLE key_slot_locks (
    tenant_id VARCHAR(64) PRIMARY KEY,
    version   BIGINT      NOT NULL
);

CREATE TABLE key_slots (
    key_id      VARCHAR(64) PRIMARY KEY,
    tenant_id   VARCHAR(64) NOT NULL,
    environment VARCHAR(16) NOT NULL,
    expires_at  TIMESTAMP   NULL,
    active      BOOLEAN     NOT NULL
);

CREATE INDEX ix_key_slots_tenant ON key_slots (tenant_id, environment);
