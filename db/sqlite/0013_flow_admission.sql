-- Admission of limited functions (concurrency and rate limits). Timestamps are microseconds since
-- the Unix epoch, as elsewhere. A scope names one limit of one function ("<function>#c<index>" for
-- a concurrency limit, "<function>#r" for the rate limit); flow_key is the evaluated key ('' when
-- the limit has none).
--   af_flow_locks    one row per limited function; every admission transaction of the function
--                    writes it first, so the database serializes them (one slot, one taker)
--   af_flow_keys     each key in use: its limit as the latest start declared it
--   af_flow_slots    who holds a slot now; hold_while_awaiting keeps it through a suspension
--   af_flow_waiters  who waits for a slot, one row per limit of the waiter, in arrival order (seq)
--   af_flow_rate     the starts a rate limit counted, or reserved for a later window (taken = 0
--                    until the delayed start comes back for it)
CREATE TABLE IF NOT EXISTS af_flow_locks (
    function_name TEXT    NOT NULL PRIMARY KEY,
    locked_at     INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS af_flow_keys (
    scope         TEXT    NOT NULL,
    flow_key      TEXT    NOT NULL,
    function_name TEXT    NOT NULL,
    capacity      INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (scope, flow_key)
);

CREATE TABLE IF NOT EXISTS af_flow_slots (
    scope               TEXT    NOT NULL,
    flow_key            TEXT    NOT NULL,
    execution_id        TEXT    NOT NULL,
    function_name       TEXT    NOT NULL,
    hold_while_awaiting INTEGER NOT NULL,
    acquired_at         INTEGER NOT NULL,
    PRIMARY KEY (scope, flow_key, execution_id)
);
CREATE INDEX IF NOT EXISTS ix_af_flow_slots_execution ON af_flow_slots (execution_id);

CREATE TABLE IF NOT EXISTS af_flow_waiters (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
    scope               TEXT    NOT NULL,
    flow_key            TEXT    NOT NULL,
    execution_id        TEXT    NOT NULL,
    function_name       TEXT    NOT NULL,
    hold_while_awaiting INTEGER NOT NULL,
    queued_at           INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_af_flow_waiters_key ON af_flow_waiters (scope, flow_key, seq);
CREATE INDEX IF NOT EXISTS ix_af_flow_waiters_execution ON af_flow_waiters (execution_id);

CREATE TABLE IF NOT EXISTS af_flow_rate (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    scope        TEXT    NOT NULL,
    flow_key     TEXT    NOT NULL,
    execution_id TEXT    NOT NULL,
    start_at     INTEGER NOT NULL,
    taken        INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_af_flow_rate_key ON af_flow_rate (scope, flow_key, start_at);
CREATE INDEX IF NOT EXISTS ix_af_flow_rate_execution ON af_flow_rate (execution_id);
