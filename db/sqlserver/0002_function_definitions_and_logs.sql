-- Function-stack definitions: every saved version is kept, so executions already running keep the
-- version they started with; af_functions points at the current one (or marks the name deleted).
IF OBJECT_ID(N'af_function_versions', N'U') IS NULL
    CREATE TABLE af_function_versions (
        name       nvarchar(200)     NOT NULL,
        version    int               NOT NULL,
        document   nvarchar(max)     NOT NULL,
        created_at datetimeoffset(7) NOT NULL,
        CONSTRAINT pk_af_function_versions PRIMARY KEY (name, version)
    );

IF OBJECT_ID(N'af_functions', N'U') IS NULL
    CREATE TABLE af_functions (
        name           nvarchar(200)     NOT NULL CONSTRAINT pk_af_functions PRIMARY KEY,
        latest_version int               NOT NULL,
        deleted        bit               NOT NULL CONSTRAINT df_af_functions_deleted DEFAULT 0,
        updated_at     datetimeoffset(7) NOT NULL
    );
GO

-- Messages a function logged while it ran (the log step of function stacks).
IF OBJECT_ID(N'af_execution_logs', N'U') IS NULL
    CREATE TABLE af_execution_logs (
        seq          bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_af_execution_logs PRIMARY KEY CLUSTERED,
        execution_id nvarchar(200)     NOT NULL,
        at           datetimeoffset(7) NOT NULL,
        level        nvarchar(20)      NOT NULL,
        message      nvarchar(max)     NOT NULL,
        data         nvarchar(max)     NULL
    );

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_af_execution_logs_execution' AND object_id = OBJECT_ID(N'af_execution_logs'))
    CREATE INDEX ix_af_execution_logs_execution ON af_execution_logs (execution_id, seq);
GO
