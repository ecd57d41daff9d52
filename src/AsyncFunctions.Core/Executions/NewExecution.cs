using System.Text.Json.Nodes;

namespace AsyncFunctions.Executions;

/// <summary>The row written when an execution is accepted.</summary>
/// <param name="RootId">The execution that began this one's tree of calls; null on the root itself.</param>
/// <param name="LeaseExpiresAt">
/// For a sync run, which has no job another node could run again: when it counts as lost unless
/// its node renews the lease. Null for async executions, which Hangfire looks after.
/// </param>
public sealed record NewExecution(
    string Id,
    string Function,
    int? FunctionVersion,
    ExecutionStatus Status,
    JsonObject Input,
    string? ParentId,
    DateTimeOffset CreatedAt,
    int CallDepth = 0,
    DateTimeOffset? LeaseExpiresAt = null,
    string? RootId = null)
{
    /// <summary>Who started the tree of calls, written with the row and never changed.</summary>
    public ExecutionCaller? Caller { get; init; }

    /// <summary>Where the result is posted when the execution finishes; written with the row and never changed.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>The schedule whose occurrence this is; written with the row and never changed.</summary>
    public string? Schedule { get; init; }

    /// <summary>The occurrence's time; set with <see cref="Schedule"/>.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }

    /// <summary>The queue that carries the execution (its function's, or the start's override); written with the row and never changed. Null: the default queue.</summary>
    public string? Queue { get; init; }
}
