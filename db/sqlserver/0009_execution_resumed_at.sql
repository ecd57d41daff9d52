-- resumed_at: when the last resumed run of a suspended execution started. See db/sqlite.
IF COL_LENGTH(N'af_executions', N'resumed_at') IS NULL
    ALTER TABLE af_executions ADD resumed_at datetimeoffset(7) NULL;
GO
