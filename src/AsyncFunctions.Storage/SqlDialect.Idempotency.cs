namespace AsyncFunctions.Storage;

/// <summary>The statements of idempotency keys (<see cref="DapperIdempotencyStore"/>).</summary>
public abstract partial class SqlDialect
{
    /// <summary>Drops a key stored before @ExpiredBefore, so it may be claimed again (parameters: CallerKey, Key, ExpiredBefore).</summary>
    public virtual string DropExpiredIdempotencyKeySql =>
        "DELETE FROM af_idempotency_keys WHERE caller_key = @CallerKey AND idempotency_key = @Key AND created_at < @ExpiredBefore";

    /// <summary>
    /// Inserts an idempotency key unless it is stored already (parameters: CallerKey, Key,
    /// Function, RequestHash, At); one row changed means this call stored it. The primary key
    /// decides between concurrent inserts.
    /// </summary>
    public virtual string InsertIdempotencyKeySql => Statement(() => Upsert(new UpsertStatement
    {
        Table = "af_idempotency_keys",
        Keys = ["caller_key", "idempotency_key"],
        Values =
        [
            new("caller_key", "@CallerKey"),
            new("idempotency_key", "@Key"),
            new("function_name", "@Function"),
            new("request_hash", "@RequestHash"),
            new("execution_id", "NULL"),
            new("created_at", Timestamp("@At")),
        ],
    }));

    /// <summary>The stored start of a key (parameters: CallerKey, Key).</summary>
    public virtual string ReadIdempotencyKeySql =>
        "SELECT function_name, request_hash, execution_id FROM af_idempotency_keys WHERE caller_key = @CallerKey AND idempotency_key = @Key";

    /// <summary>Records the execution a claimed key started (parameters: CallerKey, Key, ExecutionId).</summary>
    public virtual string SetIdempotencyExecutionSql =>
        "UPDATE af_idempotency_keys SET execution_id = @ExecutionId WHERE caller_key = @CallerKey AND idempotency_key = @Key";

    /// <summary>Drops a claimed key that started nothing (parameters: CallerKey, Key).</summary>
    public virtual string ReleaseIdempotencyKeySql =>
        "DELETE FROM af_idempotency_keys WHERE caller_key = @CallerKey AND idempotency_key = @Key AND execution_id IS NULL";

    /// <summary>Drops the keys stored before @Before (parameters: Before).</summary>
    public virtual string PurgeIdempotencyKeysSql => "DELETE FROM af_idempotency_keys WHERE created_at < @Before";
}
