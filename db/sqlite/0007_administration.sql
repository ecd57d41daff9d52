-- Administration through the API.
-- retry_of, retried_by: a retry of an execution whose job was gone (expired, or lost at a restart)
-- is a new execution; the two rows point at each other.
ALTER TABLE af_executions ADD COLUMN retry_of TEXT NULL;
ALTER TABLE af_executions ADD COLUMN retried_by TEXT NULL;

-- The retention purge reads finished rows oldest first.
CREATE INDEX IF NOT EXISTS ix_af_executions_finished ON af_executions (phase, completed_at);

-- Idempotent starts: one row per (API key, Idempotency-Key). The primary key makes the first of
-- concurrent starts with one key the only one to insert; the others read its execution.
-- request_hash: SHA-256 (hex) of the function name and the start body; execution_id: null until
-- the first start has created its execution.
CREATE TABLE IF NOT EXISTS af_idempotency_keys (
    caller_key      TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    function_name   TEXT    NOT NULL,
    request_hash    TEXT    NOT NULL,
    execution_id    TEXT    NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (caller_key, idempotency_key)
);

CREATE INDEX IF NOT EXISTS ix_af_idempotency_keys_created ON af_idempotency_keys (created_at);
