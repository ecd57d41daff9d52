-- Dashboard sessions ended with POST /sign-out. Every node refuses a sign-in cookie whose session
-- id is listed here, until the cookie could no longer be valid (expires_at); sign-outs delete the
-- rows whose time has passed.
CREATE TABLE IF NOT EXISTS af_signed_out_sessions (
    session_id TEXT    NOT NULL PRIMARY KEY,
    expires_at INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_af_signed_out_sessions_expires ON af_signed_out_sessions (expires_at);
