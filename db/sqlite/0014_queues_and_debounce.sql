-- queue: the Hangfire queue that carries the execution (the function's "queue", or the start's
-- override when AsyncFunctions:Execution:AllowQueueOverride allows one). Written with the row and
-- never changed; every later enqueue of the execution (retry, resume, takeover, a delayed start's
-- time) uses it. NULL on rows written before this column: they ran on the default queue.
ALTER TABLE af_executions ADD COLUMN queue TEXT NULL;

-- Debounce: one row per function and key value while a pending execution collects starts.
--   debounce_key   the value of the function's debounce key ('' without a key; longer than 200
--                  characters: its SHA-256)
--   execution_id   the pending execution (Scheduled); NULL for a moment while the start that
--                  reserved the row creates it
--   run_at         when it runs unless another start moves it; each folded start moves it
--   reserved_at    when the row was reserved: a reservation whose start died is taken over later
-- A start folds into the row (moves run_at, writes its input on the execution) or reserves it; when
-- the execution's time comes, the node that enqueues it deletes the row unless run_at moved on (it is
-- then scheduled again). Deleting the row ends folding: a start after that makes a new execution.
CREATE TABLE IF NOT EXISTS af_debounces (
    function_name TEXT    NOT NULL,
    debounce_key  TEXT    NOT NULL,
    execution_id  TEXT    NULL,
    run_at        INTEGER NOT NULL,
    reserved_at   INTEGER NOT NULL,
    PRIMARY KEY (function_name, debounce_key)
);
