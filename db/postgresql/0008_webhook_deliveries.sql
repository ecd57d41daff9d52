-- Completion webhooks. See db/sqlite for the tables.
CREATE TABLE IF NOT EXISTS af_webhooks (
    execution_id text NOT NULL PRIMARY KEY,
    url          text NOT NULL,
    state        text NOT NULL,
    message_id   text NULL
);

CREATE TABLE IF NOT EXISTS af_webhook_deliveries (
    execution_id text        NOT NULL,
    message_id   text        NOT NULL,
    attempt      integer     NOT NULL,
    at           timestamptz NOT NULL,
    status_code  integer     NULL,
    error        text        NULL,
    duration_ms  bigint      NOT NULL,
    PRIMARY KEY (execution_id, message_id, attempt)
);
