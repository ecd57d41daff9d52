-- Durable await: a function stack that stops at an await or a long sleep saves its state here and
-- gives its worker back (status 'Awaiting') until it is queued again. See db/sqlite for the columns.
IF COL_LENGTH(N'af_executions', N'waiting_for') IS NULL
    ALTER TABLE af_executions ADD waiting_for nvarchar(max) NULL;
GO
IF COL_LENGTH(N'af_executions', N'awaiting_since') IS NULL
    ALTER TABLE af_executions ADD awaiting_since datetimeoffset(7) NULL;
GO
IF COL_LENGTH(N'af_executions', N'wake_at') IS NULL
    ALTER TABLE af_executions ADD wake_at datetimeoffset(7) NULL;
GO
IF COL_LENGTH(N'af_executions', N'resumes') IS NULL
    ALTER TABLE af_executions ADD resumes int NOT NULL CONSTRAINT df_af_executions_resumes DEFAULT 0;
GO
IF COL_LENGTH(N'af_executions', N'resuming') IS NULL
    ALTER TABLE af_executions ADD resuming tinyint NOT NULL CONSTRAINT df_af_executions_resuming DEFAULT 0;
GO
IF COL_LENGTH(N'af_executions', N'saved_state') IS NULL
    ALTER TABLE af_executions ADD saved_state nvarchar(max) NULL;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_af_executions_awaiting' AND object_id = OBJECT_ID(N'af_executions'))
    CREATE NONCLUSTERED INDEX ix_af_executions_awaiting ON af_executions (wake_at) WHERE status = N'Awaiting';
GO
IF OBJECT_ID(N'af_execution_waits', N'U') IS NULL
BEGIN
    CREATE TABLE af_execution_waits (
        waiter_id  nvarchar(200) NOT NULL,
        awaited_id nvarchar(200) NOT NULL,
        CONSTRAINT pk_af_execution_waits PRIMARY KEY CLUSTERED (waiter_id, awaited_id)
    );
    CREATE NONCLUSTERED INDEX ix_af_execution_waits_awaited ON af_execution_waits (awaited_id);
END;
GO
