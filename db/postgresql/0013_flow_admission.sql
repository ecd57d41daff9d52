-- Admission of limited functions (concurrency and rate limits). See db/sqlite for the tables and
-- columns. Every admission transaction of a function first writes its af_flow_locks row, whose
-- row lock serializes them across nodes.
CREATE TABLE IF NOT EXISTS af_flow_locks (
    function_name text        NOT NULL PRIMARY KEY,
    locked_at     timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS af_flow_keys (
    scope         text        NOT NULL,
    flow_key      text        NOT NULL,
    function_name text        NOT NULL,
    capacity      integer     NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (scope, flow_key)
);

CREATE TABLE IF NOT EXISTS af_flow_slots (
    scope               text        NOT NULL,
    flow_key            text        NOT NULL,
    execution_id        text        NOT NULL,
    function_name       text        NOT NULL,
    hold_while_awaiting smallint    NOT NULL,
    acquired_at         timestamptz NOT NULL,
    PRIMARY KEY (scope, flow_key, execution_id)
);
CREATE INDEX IF NOT EXISTS ix_af_flow_slots_execution ON af_flow_slots (execution_id);

CREATE TABLE IF NOT EXISTS af_flow_waiters (
    seq                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scope               text        NOT NULL,
    flow_key            text        NOT NULL,
    execution_id        text        NOT NULL,
    function_name       text        NOT NULL,
    hold_while_awaiting smallint    NOT NULL,
    queued_at           timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_af_flow_waiters_key ON af_flow_waiters (scope, flow_key, seq);
CREATE INDEX IF NOT EXISTS ix_af_flow_waiters_execution ON af_flow_waiters (execution_id);

CREATE TABLE IF NOT EXISTS af_flow_rate (
    seq          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scope        text        NOT NULL,
    flow_key     text        NOT NULL,
    execution_id text        NOT NULL,
    start_at     timestamptz NOT NULL,
    taken        smallint    NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_af_flow_rate_key ON af_flow_rate (scope, flow_key, start_at);
CREATE INDEX IF NOT EXISTS ix_af_flow_rate_execution ON af_flow_rate (execution_id);
