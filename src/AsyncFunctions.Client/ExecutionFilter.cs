using AsyncFunctions.Executions;

namespace AsyncFunctions.Client;

/// <summary>Which executions a page of <see cref="AsyncFunctionsClient.ListAsync"/> holds; every field is optional.</summary>
public sealed record ExecutionFilter
{
    public string? Function { get; init; }

    public ExecutionStatus? Status { get; init; }

    public string? ParentId { get; init; }

    public string? ErrorCode { get; init; }

    /// <summary>Occurrences of this schedule only.</summary>
    public string? Schedule { get; init; }

    /// <summary>Created after this time (exclusive).</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Created before this time (exclusive).</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>How many executions a page holds (1 to 1000; 50 when null).</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    public string? Cursor { get; init; }
}
