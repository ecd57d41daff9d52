-- Schedules: a function run on a cron timetable. Each occurrence is an ordinary execution whose
-- row names the schedule (schedule_name) and the occurrence's time (scheduled_for).
ALTER TABLE af_executions ADD COLUMN schedule_name TEXT NULL;
ALTER TABLE af_executions ADD COLUMN scheduled_for INTEGER NULL;
CREATE INDEX IF NOT EXISTS ix_af_executions_schedule ON af_executions (schedule_name, seq);

-- One row per schedule. input: the validated input as JSON text; overlap: Skip or Allow;
-- owner_key, owner_role: the API key that created it (its occurrences run with it as caller),
-- null for one declared in configuration (declared = 1, read-only through the API);
-- last_run_at, last_execution_id: the latest occurrence that started an execution;
-- skipped_runs: occurrences skipped because the previous execution had not finished.
CREATE TABLE IF NOT EXISTS af_schedules (
    name              TEXT    NOT NULL PRIMARY KEY,
    function_name     TEXT    NOT NULL,
    input             TEXT    NOT NULL,
    cron              TEXT    NOT NULL,
    time_zone         TEXT    NOT NULL,
    enabled           INTEGER NOT NULL,
    overlap           TEXT    NOT NULL,
    callback_url      TEXT    NULL,
    owner_key         TEXT    NULL,
    owner_role        TEXT    NULL,
    declared          INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    last_run_at       INTEGER NULL,
    last_execution_id TEXT    NULL,
    skipped_runs      INTEGER NOT NULL DEFAULT 0
);
