-- root_id: the execution that began this one's tree of calls (NULL on the root itself).
-- tree_starts, on a root's row: how many async executions its tree started, counted up to
-- AsyncFunctions:Execution:MaxTreeExecutions by one conditional UPDATE per start.
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS root_id text NULL;
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS tree_starts integer NOT NULL DEFAULT 0;
