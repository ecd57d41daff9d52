namespace AsyncFunctions.Storage;

/// <summary>The statements of ended dashboard sessions (<see cref="DapperSignedOutSessionStore"/>).</summary>
public abstract partial class SqlDialect
{
    /// <summary>Records a session as ended unless it is already (parameters: SessionId, Until).</summary>
    public virtual string InsertSignedOutSessionSql => """
        INSERT INTO af_signed_out_sessions (session_id, expires_at)
        SELECT @SessionId, @Until
        WHERE NOT EXISTS (SELECT 1 FROM af_signed_out_sessions WHERE session_id = @SessionId)
        """;

    /// <summary>Forgets the ended sessions whose cookies can no longer be valid (parameters: Now).</summary>
    public virtual string PurgeSignedOutSessionsSql => "DELETE FROM af_signed_out_sessions WHERE expires_at < @Now";

    /// <summary>1 when the session was ended (parameters: SessionId).</summary>
    public virtual string IsSignedOutSessionSql => "SELECT 1 FROM af_signed_out_sessions WHERE session_id = @SessionId";
}
