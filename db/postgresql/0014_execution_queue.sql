-- queue: the Hangfire queue that carries the execution. See db/sqlite.
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS queue text NULL;
