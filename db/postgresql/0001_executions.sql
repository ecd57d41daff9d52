-- Results table: one row per execution, the same columns and indexes as db/sqlite.
-- Timestamps are timestamptz (microseconds, UTC on the wire), so they compare exactly.
-- JSON columns are `json`, not `jsonb`: json keeps the text as written, so an output comes back
-- with its keys in the order the function produced them (jsonb sorts keys and drops duplicates,
-- which users would see). Nothing queries inside these values, so jsonb's indexing buys nothing.
CREATE TABLE IF NOT EXISTS af_executions (
    seq              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               text        NOT NULL UNIQUE,
    function_name    text        NOT NULL,
    function_version integer     NULL,
    status           text        NOT NULL,
    phase            smallint    NOT NULL,   -- 1 pending, 2 running, 3 finished: orders writes with equal status_at
    status_at        timestamptz NOT NULL,   -- time of the state the status comes from
    input            json        NULL,       -- NULL only in a placeholder written before the row itself
    output           json        NULL,
    error_type       text        NULL,
    error_message    text        NULL,
    error_code       text        NULL,
    error_data       json        NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    parent_id        text        NULL,
    call_depth       integer     NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz NULL,
    completed_at     timestamptz NULL
);

CREATE INDEX IF NOT EXISTS ix_af_executions_parent ON af_executions (parent_id, seq);
CREATE INDEX IF NOT EXISTS ix_af_executions_function ON af_executions (function_name, seq);
CREATE INDEX IF NOT EXISTS ix_af_executions_status ON af_executions (status, seq);
CREATE INDEX IF NOT EXISTS ix_af_executions_unfinished ON af_executions (phase) WHERE phase < 3;
