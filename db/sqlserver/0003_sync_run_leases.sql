-- A sync run has no job that another node could run again. While it runs, its node keeps moving
-- lease_expires_at forward; a run whose lease expired (its node stopped) is ended as
-- execution.lost by any node. NULL for async executions, which Hangfire looks after.
-- The sweep reads unfinished rows only, through ix_af_executions_unfinished.
IF COL_LENGTH(N'af_executions', N'lease_expires_at') IS NULL
    ALTER TABLE af_executions ADD lease_expires_at datetimeoffset(7) NULL;
GO
