-- caller_key, caller_role: the name and role of the API key that started the execution's tree of
-- calls, written when the row is created; children carry their parent's. The REST API shows an
-- invoker only the executions of its own key, and function stacks see them as $auth.
ALTER TABLE af_executions ADD COLUMN caller_key TEXT NULL;
ALTER TABLE af_executions ADD COLUMN caller_role TEXT NULL;
CREATE INDEX IF NOT EXISTS ix_af_executions_caller ON af_executions (caller_key, seq);
