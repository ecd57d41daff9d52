-- Results table: one row per execution, the same columns and indexes as db/sqlite.
-- Timestamps are datetimeoffset(7) stored in UTC (the client sends DateTimeOffset, which keeps
-- every digit; a DateTime parameter would travel as the 3 ms `datetime` type). JSON is nvarchar(max),
-- kept exactly as written.
IF OBJECT_ID(N'af_executions', N'U') IS NULL
BEGIN
    CREATE TABLE af_executions (
        seq              bigint IDENTITY(1, 1) NOT NULL,
        id               nvarchar(200)     NOT NULL,
        function_name    nvarchar(200)     NOT NULL,
        function_version int               NULL,
        status           nvarchar(20)      NOT NULL,
        phase            tinyint           NOT NULL,   -- 1 pending, 2 running, 3 finished: orders writes with equal status_at
        status_at        datetimeoffset(7) NOT NULL,   -- time of the state the status comes from
        input            nvarchar(max)     NULL,       -- NULL only in a placeholder written before the row itself
        output           nvarchar(max)     NULL,
        error_type       nvarchar(400)     NULL,
        error_message    nvarchar(max)     NULL,
        error_code       nvarchar(100)     NULL,
        error_data       nvarchar(max)     NULL,
        attempts         int               NOT NULL CONSTRAINT df_af_executions_attempts DEFAULT 0,
        parent_id        nvarchar(200)     NULL,
        call_depth       int               NOT NULL CONSTRAINT df_af_executions_call_depth DEFAULT 0,
        created_at       datetimeoffset(7) NOT NULL,
        started_at       datetimeoffset(7) NULL,
        completed_at     datetimeoffset(7) NULL,
        CONSTRAINT pk_af_executions PRIMARY KEY CLUSTERED (seq),
        CONSTRAINT uq_af_executions_id UNIQUE NONCLUSTERED (id)
    );
END;
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_af_executions_parent' AND object_id = OBJECT_ID(N'af_executions'))
    CREATE INDEX ix_af_executions_parent ON af_executions (parent_id, seq);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_af_executions_function' AND object_id = OBJECT_ID(N'af_executions'))
    CREATE INDEX ix_af_executions_function ON af_executions (function_name, seq);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_af_executions_status' AND object_id = OBJECT_ID(N'af_executions'))
    CREATE INDEX ix_af_executions_status ON af_executions (status, seq);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_af_executions_unfinished' AND object_id = OBJECT_ID(N'af_executions'))
    CREATE INDEX ix_af_executions_unfinished ON af_executions (phase) WHERE phase < 3;
GO
