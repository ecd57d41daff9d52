-- A sync run has no job that another node could run again. While it runs, its node keeps moving
-- lease_expires_at forward; a run whose lease expired (its node stopped) is ended as
-- execution.lost by any node. NULL for async executions, which Hangfire looks after.
-- The sweep reads unfinished rows only, through ix_af_executions_unfinished.
ALTER TABLE af_executions ADD COLUMN lease_expires_at INTEGER NULL;
