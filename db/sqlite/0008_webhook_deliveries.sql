-- Completion webhooks. Only executions started with a callback URL have a row in af_webhooks.
-- state: Pending, Delivered or Failed; message_id: the webhook-id of the message the state is
-- about (one message per terminal status; a requeued execution that finishes again sends a new one).
CREATE TABLE IF NOT EXISTS af_webhooks (
    execution_id TEXT NOT NULL PRIMARY KEY,
    url          TEXT NOT NULL,
    state        TEXT NOT NULL,
    message_id   TEXT NULL
);

-- One row per delivery attempt. status_code: the receiver's HTTP status, null when none came.
CREATE TABLE IF NOT EXISTS af_webhook_deliveries (
    execution_id TEXT    NOT NULL,
    message_id   TEXT    NOT NULL,
    attempt      INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    status_code  INTEGER NULL,
    error        TEXT    NULL,
    duration_ms  INTEGER NOT NULL,
    PRIMARY KEY (execution_id, message_id, attempt)
);
