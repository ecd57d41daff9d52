-- Administration through the API. See db/sqlite for the columns and the table.
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS retry_of text NULL;
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS retried_by text NULL;

CREATE INDEX IF NOT EXISTS ix_af_executions_finished ON af_executions (phase, completed_at);

CREATE TABLE IF NOT EXISTS af_idempotency_keys (
    caller_key      text        NOT NULL,
    idempotency_key text        NOT NULL,
    function_name   text        NOT NULL,
    request_hash    text        NOT NULL,
    execution_id    text        NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (caller_key, idempotency_key)
);

CREATE INDEX IF NOT EXISTS ix_af_idempotency_keys_created ON af_idempotency_keys (created_at);
