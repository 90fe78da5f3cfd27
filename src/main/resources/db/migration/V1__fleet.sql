-- Fleet state of every gateway, and the log of every persisted event.
-- Rows carry the gateway's name so that more gateways share the tables.

CREATE TABLE gateways (
    name           text PRIMARY KEY,
    url            text,
    state          text        NOT NULL DEFAULT 'disconnected',
    server_version text,
    conn_id        text,
    health         jsonb,
    last_sync_at   timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
    gateway        text        NOT NULL,
    agent_id       text        NOT NULL,
    name           text,
    emoji          text,
    avatar         text,
    is_default     boolean     NOT NULL DEFAULT false,
    model          text,
    data           jsonb       NOT NULL,             -- the gateway's AgentSummary as listed
    last_run_state text,                             -- state of the agent's last finished run: final, aborted, error
    last_run_at    timestamptz,
    gone           boolean     NOT NULL DEFAULT false, -- no longer listed by the gateway
    seen_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (gateway, agent_id)
);

CREATE TABLE sessions (
    gateway        text        NOT NULL,
    session_key    text        NOT NULL,
    agent_id       text,
    session_id     text,
    status         text,
    active_run_id  text,                             -- run in progress, from chat events
    has_active_run boolean     NOT NULL DEFAULT false,
    updated_at_ms  bigint,                           -- the gateway's updatedAt
    version        bigint      NOT NULL,             -- gateway clock (ms) of this data: newer data wins
    data           jsonb       NOT NULL,             -- the gateway's session row
    gone           boolean     NOT NULL DEFAULT false,
    seen_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (gateway, session_key)
);
CREATE INDEX sessions_by_agent ON sessions (gateway, agent_id);

CREATE TABLE presence (
    gateway        text        NOT NULL,
    instance_key   text        NOT NULL,
    mode           text,
    reason         text,
    host           text,
    ts             bigint,
    data           jsonb       NOT NULL,
    seen_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (gateway, instance_key)
);

-- every persisted event; its id is the SSE message id (Last-Event-ID replays from here)
CREATE SEQUENCE event_log_id_seq;
CREATE TABLE event_log (
    id             bigint      PRIMARY KEY,          -- allocated from event_log_id_seq before the insert
    gateway        text        NOT NULL,
    event          text        NOT NULL,
    seq            bigint,                           -- the gateway's frame seq; null for events Control Center made
    received_at    timestamptz NOT NULL,
    payload        jsonb       NOT NULL
);
CREATE INDEX event_log_by_time ON event_log (received_at);
