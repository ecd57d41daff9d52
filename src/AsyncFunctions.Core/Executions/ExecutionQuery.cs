namespace AsyncFunctions.Executions;

/// <summary>A filter for listing executions, newest first.</summary>
/// <param name="Cursor">Opaque position returned as <see cref="ExecutionPage.NextCursor"/> by the previous page.</param>
/// <param name="CallerKey">Only the executions of trees started by this API key (by its name).</param>
public sealed record ExecutionQuery(
    string? Function = null,
    ExecutionStatus? Status = null,
    string? ParentId = null,
    int Limit = 50,
    string? Cursor = null,
    string? CallerKey = null)
{
    /// <summary>Only the executions whose error carries this code.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Only the executions created at or after this time.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only the executions created before this time.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Only the occurrences of this schedule.</summary>
    public string? Schedule { get; init; }

    public const int MaxLimit = 500;
}
