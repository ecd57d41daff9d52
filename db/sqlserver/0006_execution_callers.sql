-- caller_key, caller_role: the name and role of the API key that started the execution's tree of
-- calls, written when the row is created; children carry their parent's. The REST API shows an
-- invoker only the executions of its own key, and function stacks see them as $auth.
IF COL_LENGTH(N'af_executions', N'caller_key') IS NULL
    ALTER TABLE af_executions ADD caller_key nvarchar(200) NULL;
GO
IF COL_LENGTH(N'af_executions', N'caller_role') IS NULL
    ALTER TABLE af_executions ADD caller_role nvarchar(20) NULL;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_af_executions_caller' AND object_id = OBJECT_ID(N'af_executions'))
    CREATE INDEX ix_af_executions_caller ON af_executions (caller_key, seq);
GO
