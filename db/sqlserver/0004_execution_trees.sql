-- root_id: the execution that began this one's tree of calls (NULL on the root itself).
-- tree_starts, on a root's row: how many async executions its tree started, counted up to
-- AsyncFunctions:Execution:MaxTreeExecutions by one conditional UPDATE per start.
IF COL_LENGTH(N'af_executions', N'root_id') IS NULL
    ALTER TABLE af_executions ADD root_id nvarchar(200) NULL;
GO
IF COL_LENGTH(N'af_executions', N'tree_starts') IS NULL
    ALTER TABLE af_executions ADD tree_starts int NOT NULL CONSTRAINT df_af_executions_tree_starts DEFAULT 0;
GO
