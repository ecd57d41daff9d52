-- queue: the Hangfire queue that carries the execution (the function's "queue", or the start's
-- override when AsyncFunctions:Execution:AllowQueueOverride allows one). Written with the row and
-- never changed; every later enqueue of the execution (retry, resume, takeover, a delayed start's
-- time) uses it. NULL on rows written before this column: they ran on the default queue.
ALTER TABLE af_executions ADD COLUMN queue TEXT NULL;
