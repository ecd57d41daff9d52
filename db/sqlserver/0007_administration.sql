-- Administration through the API. See db/sqlite for the columns and the table.
IF COL_LENGTH(N'af_executions', N'retry_of') IS NULL
    ALTER TABLE af_executions ADD retry_of nvarchar(200) NULL;
GO
IF COL_LENGTH(N'af_executions', N'retried_by') IS NULL
    ALTER TABLE af_executions ADD retried_by nvarchar(200) NULL;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_af_executions_finished' AND object_id = OBJECT_ID(N'af_executions'))
    CREATE NONCLUSTERED INDEX ix_af_executions_finished ON af_executions (phase, completed_at);
GO
IF OBJECT_ID(N'af_idempotency_keys', N'U') IS NULL
BEGIN
    CREATE TABLE af_idempotency_keys (
        caller_key      nvarchar(200)     NOT NULL,
        idempotency_key nvarchar(200)     NOT NULL,
        function_name   nvarchar(200)     NOT NULL,
        request_hash    nvarchar(64)      NOT NULL,
        execution_id    nvarchar(200)     NULL,
        created_at      datetimeoffset(7) NOT NULL,
        CONSTRAINT pk_af_idempotency_keys PRIMARY KEY CLUSTERED (caller_key, idempotency_key)
    );
    CREATE NONCLUSTERED INDEX ix_af_idempotency_keys_created ON af_idempotency_keys (created_at);
END;
GO
