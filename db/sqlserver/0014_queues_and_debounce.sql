-- queue: the Hangfire queue that carries the execution. See db/sqlite.
IF COL_LENGTH(N'af_executions', N'queue') IS NULL
    ALTER TABLE af_executions ADD queue nvarchar(50) NULL;
GO

-- Debounce: one row per function and key value while a pending execution collects starts. See db/sqlite.
IF OBJECT_ID(N'af_debounces', N'U') IS NULL
    CREATE TABLE af_debounces (
        function_name nvarchar(200)     NOT NULL,
        debounce_key  nvarchar(200)     NOT NULL,
        execution_id  nvarchar(200)     NULL,
        run_at        datetimeoffset(7) NOT NULL,
        reserved_at   datetimeoffset(7) NOT NULL,
        CONSTRAINT pk_af_debounces PRIMARY KEY (function_name, debounce_key)
    );
GO
