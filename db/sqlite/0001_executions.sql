-- Results table: one row per execution. Timestamps are microseconds since the Unix epoch (UTC),
-- so they compare exactly; JSON is stored as text.
CREATE TABLE IF NOT EXISTS af_executions (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT    NOT NULL UNIQUE,
    function_name    TEXT    NOT NULL,
    function_version INTEGER NULL,
    status           TEXT    NOT NULL,
    phase            INTEGER NOT NULL,   -- 1 pending, 2 running, 3 finished: orders writes with equal status_at
    status_at        INTEGER NOT NULL,   -- time of the state the status comes from
    input            TEXT    NULL,       -- NULL only in a placeholder written before the row itself
    output           TEXT    NULL,
    error_type       TEXT    NULL,
    error_message    TEXT    NULL,
    error_code       TEXT    NULL,
    error_data       TEXT    NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    parent_id        TEXT    NULL,
    call_depth       INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    started_at       INTEGER NULL,
    completed_at     INTEGER NULL
);

CREATE INDEX IF NOT EXISTS ix_af_executions_parent ON af_executions (parent_id, seq);
CREATE INDEX IF NOT EXISTS ix_af_executions_function ON af_executions (function_name, seq);
CREATE INDEX IF NOT EXISTS ix_af_executions_status ON af_executions (status, seq);
CREATE INDEX IF NOT EXISTS ix_af_executions_unfinished ON af_executions (phase) WHERE phase < 3;
