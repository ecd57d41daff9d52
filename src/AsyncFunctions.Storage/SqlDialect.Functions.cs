namespace AsyncFunctions.Storage;

/// <summary>The statements of function documents (<see cref="DapperFunctionDefinitionStore"/>) and execution logs (<see cref="DapperExecutionLogStore"/>).</summary>
public abstract partial class SqlDialect
{
    private const string DefinitionColumns = "v.name AS Name, v.version AS Version, v.document AS Document, v.created_at AS CreatedAt";

    /// <summary>The current version of a function unless deleted (parameters: Name, Deleted = false).</summary>
    public virtual string CurrentDefinitionSql =>
        $"SELECT {DefinitionColumns} FROM af_function_versions v JOIN af_functions f ON f.name = v.name AND f.latest_version = v.version WHERE v.name = @Name AND f.deleted = @Deleted";

    /// <summary>One version of a function (parameters: Name, Version).</summary>
    public virtual string DefinitionVersionSql => $"SELECT {DefinitionColumns} FROM af_function_versions v WHERE v.name = @Name AND v.version = @Version";

    /// <summary>The current version of every function not deleted, by name (parameters: Deleted = false).</summary>
    public virtual string ListDefinitionsSql =>
        $"SELECT {DefinitionColumns} FROM af_function_versions v JOIN af_functions f ON f.name = v.name AND f.latest_version = v.version WHERE f.deleted = @Deleted ORDER BY v.name";

    /// <summary>
    /// Locks a function name's row for the rest of the transaction, creating it (version 0,
    /// deleted) when the name is new, so saves of one name run one after another
    /// (parameters: Name, At, Deleted = true).
    /// </summary>
    public virtual string LockDefinitionSql => """
        INSERT INTO af_functions (name, latest_version, deleted, updated_at) VALUES (@Name, 0, @Deleted, @At)
        ON CONFLICT (name) DO UPDATE SET name = excluded.name
        """;

    /// <summary>
    /// Makes a function name current with its next version number and returns that number
    /// (parameters: Name, At, NotDeleted = false).
    /// </summary>
    public virtual string NextDefinitionVersionSql => """
        INSERT INTO af_functions (name, latest_version, deleted, updated_at) VALUES (@Name, 1, @NotDeleted, @At)
        ON CONFLICT (name) DO UPDATE SET latest_version = af_functions.latest_version + 1, deleted = @NotDeleted, updated_at = @At
        RETURNING latest_version
        """;

    /// <summary>Stores a version of a function's document (parameters: Name, Version, Document, At).</summary>
    public virtual string InsertDefinitionVersionSql => Statement(() =>
        $"INSERT INTO af_function_versions (name, version, document, created_at) VALUES (@Name, @Version, {Json("@Document")}, @At)");

    /// <summary>Marks a function deleted (parameters: Name, At, Deleted = true, NotDeleted = false).</summary>
    public virtual string DeleteDefinitionSql => "UPDATE af_functions SET deleted = @Deleted, updated_at = @At WHERE name = @Name AND deleted = @NotDeleted";

    /// <summary>Appends one log message (parameters: ExecutionId, At, Level, Message, Data).</summary>
    public virtual string AppendLogSql => Statement(() =>
        $"INSERT INTO af_execution_logs (execution_id, at, level, message, data) VALUES (@ExecutionId, @At, @Level, @Message, {Json("@Data")})");

    /// <summary>The first @Limit log messages of an execution, in order (parameters: ExecutionId, Limit).</summary>
    public virtual string ListLogsSql => Statement(() =>
        Page("SELECT at AS At, level AS Level, message AS Message, data AS Data FROM af_execution_logs WHERE execution_id = @ExecutionId ORDER BY seq"));
}
