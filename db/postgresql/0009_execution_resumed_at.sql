-- resumed_at: when the last resumed run of a suspended execution started. started_at stays the
-- start of the attempt (a resume is not a new attempt), so the two together show both.
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS resumed_at timestamptz NULL;
