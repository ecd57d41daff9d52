using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AsyncFunctions.Executions;

/// <summary>One row of the results table: what an execution was asked to do and how it went.</summary>
public sealed record ExecutionRecord
{
    /// <summary>The Hangfire job id (opaque string).</summary>
    public required string Id { get; init; }

    public required string Function { get; init; }

    public int? FunctionVersion { get; init; }

    public required ExecutionStatus Status { get; init; }

    public JsonNode? Input { get; init; }

    public JsonNode? Output { get; init; }

    public ExecutionError? Error { get; init; }

    /// <summary>How many times a worker started it.</summary>
    public int Attempts { get; init; }

    public string? ParentId { get; init; }

    /// <summary>The execution that began this one's tree of calls; null on the root itself.</summary>
    public string? RootId { get; init; }

    /// <summary>0 for a call from outside; each nested call adds one.</summary>
    public int CallDepth { get; init; }

    /// <summary>Who started the tree of calls (the API key's name and role); null for executions recorded before keys.</summary>
    public ExecutionCaller? Caller { get; init; }

    /// <summary>The schedule whose occurrence started it; null for an execution started otherwise.</summary>
    public string? Schedule { get; init; }

    /// <summary>The occurrence of <see cref="Schedule"/> it is (the tick of the cron, or the time of a manual trigger).</summary>
    public DateTimeOffset? ScheduledFor { get; init; }

    /// <summary>The job queue that carries it: its function's queue, or the start's override.</summary>
    public string Queue { get; init; } = FlowControl.FunctionFlow.DefaultQueue;

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a worker started its current attempt; a resume after a suspension does not move it (see <see cref="ResumedAt"/>).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>While <see cref="ExecutionStatus.Awaiting"/>: the ids it waits for (empty for a sleep).</summary>
    public IReadOnlyList<string>? WaitingFor { get; init; }

    /// <summary>While <see cref="ExecutionStatus.Waiting"/>: the concurrency limit it waits for, in words (filled in by the single-execution read).</summary>
    public string? WaitingForLimit { get; init; }

    /// <summary>While <see cref="ExecutionStatus.Awaiting"/>: when it suspended.</summary>
    public DateTimeOffset? AwaitingSince { get; init; }

    /// <summary>While <see cref="ExecutionStatus.Awaiting"/>: when it resumes at the latest (its await's deadline, or the end of its sleep).</summary>
    public DateTimeOffset? WakeAt { get; init; }

    /// <summary>The execution this one retries, when it was started by a retry because that one's job was gone.</summary>
    public string? RetryOf { get; init; }

    /// <summary>The execution that retries this one, when a retry had to start a new one.</summary>
    public string? RetriedBy { get; init; }

    /// <summary>True while a saved state exists to resume from (it is dropped when the execution finishes).</summary>
    [JsonIgnore]
    public bool HasCheckpoint { get; init; }

    /// <summary>How many times it was resumed after a suspension (not counted in <see cref="Attempts"/>).</summary>
    public int Resumes { get; init; }

    /// <summary>When its last resumed run started; null until it was resumed.</summary>
    public DateTimeOffset? ResumedAt { get; init; }

    /// <summary>The callback of the execution and its deliveries; null when it has none, or when the reader did not ask for it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Webhooks.ExecutionCallback? Callback { get; init; }

    /// <summary>
    /// Only on the answer to a start of a debounced function: true when the start folded into a
    /// pending execution (this one), false when it created it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Debounced { get; init; }

    public ExecutionResult ToResult() => new(Id, Status, Output, Error);
}
