-- Schedules. See db/sqlite for the columns and the table.
IF COL_LENGTH(N'af_executions', N'schedule_name') IS NULL
    ALTER TABLE af_executions ADD schedule_name nvarchar(200) NULL;
GO
IF COL_LENGTH(N'af_executions', N'scheduled_for') IS NULL
    ALTER TABLE af_executions ADD scheduled_for datetimeoffset(7) NULL;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_af_executions_schedule' AND object_id = OBJECT_ID(N'af_executions'))
    CREATE INDEX ix_af_executions_schedule ON af_executions (schedule_name, seq);
GO
IF OBJECT_ID(N'af_schedules', N'U') IS NULL
BEGIN
    CREATE TABLE af_schedules (
        name              nvarchar(200)     NOT NULL,
        function_name     nvarchar(200)     NOT NULL,
        input             nvarchar(max)     NOT NULL,
        cron              nvarchar(200)     NOT NULL,
        time_zone         nvarchar(100)     NOT NULL,
        enabled           int               NOT NULL,
        overlap           nvarchar(20)      NOT NULL,
        callback_url      nvarchar(2048)    NULL,
        owner_key         nvarchar(200)     NULL,
        owner_role        nvarchar(20)      NULL,
        declared          int               NOT NULL,
        created_at        datetimeoffset(7) NOT NULL,
        updated_at        datetimeoffset(7) NOT NULL,
        last_run_at       datetimeoffset(7) NULL,
        last_execution_id nvarchar(200)     NULL,
        skipped_runs      bigint            NOT NULL CONSTRAINT df_af_schedules_skipped DEFAULT 0,
        CONSTRAINT pk_af_schedules PRIMARY KEY CLUSTERED (name)
    );
END;
GO
