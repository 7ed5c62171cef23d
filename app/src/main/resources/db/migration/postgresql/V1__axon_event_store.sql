-- Axon Framework's JDBC event store and token store (EventSchema / TokenSchema default names, unquoted).
CREATE TABLE domainevententry (
    globalindex         BIGSERIAL PRIMARY KEY,
    eventidentifier     VARCHAR(255) NOT NULL UNIQUE,
    aggregateidentifier VARCHAR(255) NOT NULL,
    sequencenumber      BIGINT       NOT NULL,
    type                VARCHAR(255),
    timestamp           VARCHAR(255) NOT NULL,
    payloadtype         VARCHAR(255) NOT NULL,
    payloadrevision     VARCHAR(255),
    payload             BYTEA NOT NULL,
    metadata            BYTEA,
    CONSTRAINT uk_domainevententry_aggregate_sequence UNIQUE (aggregateidentifier, sequencenumber)
);

CREATE TABLE snapshotevententry (
    aggregateidentifier VARCHAR(255) NOT NULL,
    sequencenumber      BIGINT       NOT NULL,
    type                VARCHAR(255) NOT NULL,
    eventidentifier     VARCHAR(255) NOT NULL UNIQUE,
    timestamp           VARCHAR(255) NOT NULL,
    payloadtype         VARCHAR(255) NOT NULL,
    payloadrevision     VARCHAR(255),
    payload             BYTEA NOT NULL,
    metadata            BYTEA,
    PRIMARY KEY (aggregateidentifier, sequencenumber)
);

CREATE TABLE tokenentry (
    processorname VARCHAR(255) NOT NULL,
    segment       INTEGER      NOT NULL,
    token         BYTEA,
    tokentype     VARCHAR(255),
    timestamp     VARCHAR(255),
    owner         VARCHAR(255),
    PRIMARY KEY (processorname, segment)
);
