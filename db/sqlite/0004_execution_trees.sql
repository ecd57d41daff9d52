-- root_id: the execution that began this one's tree of calls (NULL on the root itself).
-- tree_starts, on a root's row: how many async executions its tree started, counted up to
-- AsyncFunctions:Execution:MaxTreeExecutions by one conditional UPDATE per start.
ALTER TABLE af_executions ADD COLUMN root_id TEXT NULL;
ALTER TABLE af_executions ADD COLUMN tree_starts INTEGER NOT NULL DEFAULT 0;
