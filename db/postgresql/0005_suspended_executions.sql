-- Durable await: a function stack that stops at an await or a long sleep saves its state here and
-- gives its worker back (status 'Awaiting') until it is queued again.
-- waiting_for, awaiting_since, wake_at: what the suspension waits for (a JSON array of ids as
-- text, '[]' for a sleep), since when, and when it resumes at the latest.
-- saved_state: the saved interpreter state (TOASTed out of line); dropped when the execution finishes.
-- resumes: how many times it was resumed; resuming: 1 from a resume until the run starts, so
-- that start is not counted as an attempt.
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS waiting_for text NULL;
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS awaiting_since timestamptz NULL;
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS wake_at timestamptz NULL;
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS resumes integer NOT NULL DEFAULT 0;
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS resuming smallint NOT NULL DEFAULT 0;
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS saved_state text NULL;

CREATE INDEX IF NOT EXISTS ix_af_executions_awaiting ON af_executions (wake_at) WHERE status = 'Awaiting';

CREATE TABLE IF NOT EXISTS af_execution_waits (
    waiter_id  text NOT NULL,
    awaited_id text NOT NULL,
    PRIMARY KEY (waiter_id, awaited_id)
);

CREATE INDEX IF NOT EXISTS ix_af_execution_waits_awaited ON af_execution_waits (awaited_id);
