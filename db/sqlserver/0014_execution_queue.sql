-- queue: the Hangfire queue that carries the execution. See db/sqlite.
IF COL_LENGTH(N'af_executions', N'queue') IS NULL
    ALTER TABLE af_executions ADD queue nvarchar(50) NULL;
GO
