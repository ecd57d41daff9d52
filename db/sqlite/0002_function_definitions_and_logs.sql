-- Function-stack definitions: every saved version is kept, so executions already running keep the
-- version they started with; af_functions points at the current one (or marks the name deleted).
CREATE TABLE IF NOT EXISTS af_function_versions (
    name       TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    document   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE IF NOT EXISTS af_functions (
    name           TEXT    NOT NULL PRIMARY KEY,
    latest_version INTEGER NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    updated_at     INTEGER NOT NULL
);

-- Messages a function logged while it ran (the log step of function stacks).
CREATE TABLE IF NOT EXISTS af_execution_logs (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    execution_id TEXT    NOT NULL,
    at           INTEGER NOT NULL,
    level        TEXT    NOT NULL,
    message      TEXT    NOT NULL,
    data         TEXT    NULL
);

CREATE INDEX IF NOT EXISTS ix_af_execution_logs_execution ON af_execution_logs (execution_id, seq);
