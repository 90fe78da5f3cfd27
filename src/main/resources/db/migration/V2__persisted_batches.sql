-- One row per stored fleet batch, written in the batch's own transaction: when the connection drops while a commit
-- is acknowledged, the retry can tell whether the batch was stored and must not be written (or its events logged) twice.
CREATE TABLE persisted_batches (
    token     uuid        PRIMARY KEY,
    stored_at timestamptz NOT NULL DEFAULT now()
);
