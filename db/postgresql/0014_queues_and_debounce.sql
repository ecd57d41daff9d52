-- queue: the Hangfire queue that carries the execution. See db/sqlite.
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS queue text NULL;

-- Debounce: one row per function and key value while a pending execution collects starts. See db/sqlite.
CREATE TABLE IF NOT EXISTS af_debounces (
    function_name text        NOT NULL,
    debounce_key  text        NOT NULL,
    execution_id  text        NULL,
    run_at        timestamptz NOT NULL,
    reserved_at   timestamptz NOT NULL,
    PRIMARY KEY (function_name, debounce_key)
);
