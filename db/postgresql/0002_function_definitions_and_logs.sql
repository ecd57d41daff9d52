-- Function-stack definitions: every saved version is kept, so executions already running keep the
-- version they started with; af_functions points at the current one (or marks the name deleted).
-- Documents and log data are `json` (kept as written), like the results table.
CREATE TABLE IF NOT EXISTS af_function_versions (
    name       text        NOT NULL,
    version    integer     NOT NULL,
    document   json        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE IF NOT EXISTS af_functions (
    name           text        NOT NULL PRIMARY KEY,
    latest_version integer     NOT NULL,
    deleted        boolean     NOT NULL DEFAULT false,
    updated_at     timestamptz NOT NULL
);

-- Messages a function logged while it ran (the log step of function stacks).
CREATE TABLE IF NOT EXISTS af_execution_logs (
    seq          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    execution_id text        NOT NULL,
    at           timestamptz NOT NULL,
    level        text        NOT NULL,
    message      text        NOT NULL,
    data         json        NULL
);

CREATE INDEX IF NOT EXISTS ix_af_execution_logs_execution ON af_execution_logs (execution_id, seq);
