-- Dashboard sessions ended with POST /sign-out. See db/sqlite for the table.
CREATE TABLE IF NOT EXISTS af_signed_out_sessions (
    session_id text        NOT NULL PRIMARY KEY,
    expires_at timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_af_signed_out_sessions_expires ON af_signed_out_sessions (expires_at);
