-- Schedules. See db/sqlite for the columns and the table.
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS schedule_name text NULL;
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS scheduled_for timestamptz NULL;
CREATE INDEX IF NOT EXISTS ix_af_executions_schedule ON af_executions (schedule_name, seq);

CREATE TABLE IF NOT EXISTS af_schedules (
    name              text        NOT NULL PRIMARY KEY,
    function_name     text        NOT NULL,
    input             text        NOT NULL,
    cron              text        NOT NULL,
    time_zone         text        NOT NULL,
    enabled           integer     NOT NULL,
    overlap           text        NOT NULL,
    callback_url      text        NULL,
    owner_key         text        NULL,
    owner_role        text        NULL,
    declared          integer     NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    last_run_at       timestamptz NULL,
    last_execution_id text        NULL,
    skipped_runs      bigint      NOT NULL DEFAULT 0
);
