-- Dashboard sessions ended with POST /sign-out. See db/sqlite for the table.
IF OBJECT_ID(N'af_signed_out_sessions', N'U') IS NULL
BEGIN
    CREATE TABLE af_signed_out_sessions (
        session_id nvarchar(100)     NOT NULL,
        expires_at datetimeoffset(7) NOT NULL,
        CONSTRAINT pk_af_signed_out_sessions PRIMARY KEY CLUSTERED (session_id)
    );
    CREATE INDEX ix_af_signed_out_sessions_expires ON af_signed_out_sessions (expires_at);
END;
GO
