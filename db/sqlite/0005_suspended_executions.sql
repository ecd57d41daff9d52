-- Durable await: a function stack that stops at an await or a long sleep saves its state here and
-- gives its worker back (status 'Awaiting') until it is queued again.
-- waiting_for, awaiting_since, wake_at: what the suspension waits for (a JSON array of ids, '[]'
-- for a sleep), since when, and when it resumes at the latest (its deadline, or the sleep's end).
-- saved_state: the saved interpreter state; dropped when the execution finishes.
-- resumes: how many times it was resumed; resuming: 1 from a resume until the run starts, so
-- that start is not counted as an attempt.
ALTER TABLE af_executions ADD COLUMN waiting_for TEXT NULL;
ALTER TABLE af_executions ADD COLUMN awaiting_since INTEGER NULL;
ALTER TABLE af_executions ADD COLUMN wake_at INTEGER NULL;
ALTER TABLE af_executions ADD COLUMN resumes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE af_executions ADD COLUMN resuming INTEGER NOT NULL DEFAULT 0;
ALTER TABLE af_executions ADD COLUMN saved_state TEXT NULL;

-- The sweep for passed deadlines reads suspended rows only.
CREATE INDEX IF NOT EXISTS ix_af_executions_awaiting ON af_executions (wake_at) WHERE status = 'Awaiting';

-- Who waits for whom: a finished execution finds its waiters through awaited_id.
CREATE TABLE IF NOT EXISTS af_execution_waits (
    waiter_id  TEXT NOT NULL,
    awaited_id TEXT NOT NULL,
    PRIMARY KEY (waiter_id, awaited_id)
);

CREATE INDEX IF NOT EXISTS ix_af_execution_waits_awaited ON af_execution_waits (awaited_id);
