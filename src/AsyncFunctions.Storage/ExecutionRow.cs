using AsyncFunctions.FlowControl;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage;

/// <summary>A row of the results table as Dapper reads it; timestamps stay raw until the dialect converts them.</summary>
internal sealed class ExecutionRow
{
    public long Seq { get; set; }

    public string Id { get; set; } = "";

    public string Function_Name { get; set; } = "";

    public int? Function_Version { get; set; }

    public string Status { get; set; } = "";

    public string? Input { get; set; }

    public string? Output { get; set; }

    public string? Error_Type { get; set; }

    public string? Error_Message { get; set; }

    public string? Error_Code { get; set; }

    public string? Error_Data { get; set; }

    public int Attempts { get; set; }

    public string? Parent_Id { get; set; }

    public string? Root_Id { get; set; }

    public int Call_Depth { get; set; }

    public string? Caller_Key { get; set; }

    public string? Caller_Role { get; set; }

    public object Created_At { get; set; } = null!;

    public object? Started_At { get; set; }

    public object? Completed_At { get; set; }

    public string? Waiting_For { get; set; }

    public object? Awaiting_Since { get; set; }

    public object? Wake_At { get; set; }

    public int Resumes { get; set; }

    public object? Resumed_At { get; set; }

    public int Has_Checkpoint { get; set; }

    public string? Retry_Of { get; set; }

    public string? Retried_By { get; set; }

    public string? Schedule_Name { get; set; }

    public object? Scheduled_For { get; set; }

    public string? Queue { get; set; }

    public ExecutionRecord ToRecord(SqlDialect dialect) => new()
    {
        Id = Id,
        Function = Function_Name,
        FunctionVersion = Function_Version,
        Status = ParseStatus(Status),
        Input = ParseJson(Input),
        Output = ParseJson(Output),
        Error = ToError(),
        Attempts = Attempts,
        ParentId = Parent_Id,
        RootId = Root_Id,
        CallDepth = Call_Depth,
        Caller = Caller_Key is null ? null : new ExecutionCaller(Caller_Key, Caller_Role ?? ""),
        CreatedAt = dialect.FromDb(Created_At),
        StartedAt = Started_At is null ? null : dialect.FromDb(Started_At),
        CompletedAt = Completed_At is null ? null : dialect.FromDb(Completed_At),
        WaitingFor = Status == SqlDialect.AwaitingStatus && Waiting_For is not null ? JsonSerializer.Deserialize<string[]>(Waiting_For) : null,
        AwaitingSince = Status == SqlDialect.AwaitingStatus && Awaiting_Since is not null ? dialect.FromDb(Awaiting_Since) : null,
        WakeAt = Status == SqlDialect.AwaitingStatus && Wake_At is not null ? dialect.FromDb(Wake_At) : null,
        Resumes = Resumes,
        ResumedAt = Resumed_At is null ? null : dialect.FromDb(Resumed_At),
        HasCheckpoint = Has_Checkpoint != 0,
        RetryOf = Retry_Of,
        RetriedBy = Retried_By,
        Schedule = Schedule_Name,
        ScheduledFor = Scheduled_For is null ? null : dialect.FromDb(Scheduled_For),
        Queue = Queue ?? FunctionFlow.DefaultQueue,
    };

    public ExecutionResult ToResult() => new(Id, ParseStatus(Status), ParseJson(Output), ToError());

    private ExecutionError? ToError() =>
        Error_Code is null ? null : new ExecutionError(Error_Type ?? "", Error_Message ?? "", Error_Code, ParseJson(Error_Data));

    private static ExecutionStatus ParseStatus(string status) => Enum.Parse<ExecutionStatus>(status);

    private static JsonNode? ParseJson(string? json) => json is null ? null : JsonNode.Parse(json);
}
