-- Chat: every run of an agent that Control Center saw (started from the API or not), and the messages of a run.

CREATE TABLE chat_runs (
    gateway        text        NOT NULL,
    run_id         text        NOT NULL,             -- the gateway's runId (= the idempotencyKey of chat.send)
    session_key    text        NOT NULL,
    agent_id       text,
    kind           text        NOT NULL DEFAULT 'send', -- send (chat.send) or inject (chat.inject)
    state          text        NOT NULL,             -- sending, send_failed, status, delta, final, aborted, error
    phase          text,                             -- last status phase (preparing_context, starting_model, ...)
    text           text,                             -- the text so far; for a finished run, the final text
    stop_reason    text,
    error_message  text,
    error_kind     text,
    usage          jsonb,
    started_by     text,                             -- 'control-center' for runs started from the API, else null
    proactive      boolean     NOT NULL,             -- a run Control Center did not start (cron, heartbeat, another client)
    started_at     timestamptz NOT NULL,
    ended_at       timestamptz,
    last_seq       bigint,                           -- the run's payload seq last applied
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (gateway, run_id)
);
CREATE INDEX chat_runs_by_session ON chat_runs (gateway, session_key, started_at);
CREATE INDEX chat_runs_in_flight ON chat_runs (gateway) WHERE ended_at IS NULL;

CREATE TABLE chat_messages (
    id             bigserial   PRIMARY KEY,
    gateway        text        NOT NULL,
    run_id         text        NOT NULL,
    session_key    text        NOT NULL,
    role           text        NOT NULL,             -- user (what was sent) or assistant (the reply, or an injected note)
    text           text        NOT NULL,
    created_at     timestamptz NOT NULL,
    UNIQUE (gateway, run_id, role)
);
CREATE INDEX chat_messages_by_session ON chat_messages (gateway, session_key, id);
