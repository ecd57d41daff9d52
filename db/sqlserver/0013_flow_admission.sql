-- Admission of limited functions (concurrency and rate limits). See db/sqlite for the tables and
-- columns. Every admission transaction of a function first writes its af_flow_locks row
-- (UPDLOCK, SERIALIZABLE), which serializes them across nodes.
IF OBJECT_ID(N'af_flow_locks', N'U') IS NULL
BEGIN
    CREATE TABLE af_flow_locks (
        function_name nvarchar(200)     NOT NULL,
        locked_at     datetimeoffset(7) NOT NULL,
        CONSTRAINT pk_af_flow_locks PRIMARY KEY CLUSTERED (function_name)
    );
END;
GO
IF OBJECT_ID(N'af_flow_keys', N'U') IS NULL
BEGIN
    CREATE TABLE af_flow_keys (
        scope         nvarchar(250)     NOT NULL,
        flow_key      nvarchar(200)     NOT NULL,
        function_name nvarchar(200)     NOT NULL,
        capacity      int               NOT NULL,
        updated_at    datetimeoffset(7) NOT NULL,
        CONSTRAINT pk_af_flow_keys PRIMARY KEY NONCLUSTERED (scope, flow_key)
    );
END;
GO
IF OBJECT_ID(N'af_flow_slots', N'U') IS NULL
BEGIN
    CREATE TABLE af_flow_slots (
        scope               nvarchar(250)     NOT NULL,
        flow_key            nvarchar(200)     NOT NULL,
        execution_id        nvarchar(200)     NOT NULL,
        function_name       nvarchar(200)     NOT NULL,
        hold_while_awaiting smallint          NOT NULL,
        acquired_at         datetimeoffset(7) NOT NULL,
        CONSTRAINT pk_af_flow_slots PRIMARY KEY NONCLUSTERED (scope, flow_key, execution_id)
    );
    CREATE INDEX ix_af_flow_slots_execution ON af_flow_slots (execution_id);
END;
GO
IF OBJECT_ID(N'af_flow_waiters', N'U') IS NULL
BEGIN
    CREATE TABLE af_flow_waiters (
        seq                 bigint IDENTITY(1, 1) NOT NULL,
        scope               nvarchar(250)     NOT NULL,
        flow_key            nvarchar(200)     NOT NULL,
        execution_id        nvarchar(200)     NOT NULL,
        function_name       nvarchar(200)     NOT NULL,
        hold_while_awaiting smallint          NOT NULL,
        queued_at           datetimeoffset(7) NOT NULL,
        CONSTRAINT pk_af_flow_waiters PRIMARY KEY CLUSTERED (seq)
    );
    CREATE INDEX ix_af_flow_waiters_key ON af_flow_waiters (scope, flow_key, seq);
    CREATE INDEX ix_af_flow_waiters_execution ON af_flow_waiters (execution_id);
END;
GO
IF OBJECT_ID(N'af_flow_rate', N'U') IS NULL
BEGIN
    CREATE TABLE af_flow_rate (
        seq          bigint IDENTITY(1, 1) NOT NULL,
        scope        nvarchar(250)     NOT NULL,
        flow_key     nvarchar(200)     NOT NULL,
        execution_id nvarchar(200)     NOT NULL,
        start_at     datetimeoffset(7) NOT NULL,
        taken        smallint          NOT NULL,
        CONSTRAINT pk_af_flow_rate PRIMARY KEY CLUSTERED (seq)
    );
    CREATE INDEX ix_af_flow_rate_key ON af_flow_rate (scope, flow_key, start_at);
    CREATE INDEX ix_af_flow_rate_execution ON af_flow_rate (execution_id);
END;
GO
