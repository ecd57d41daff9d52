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

    public int Has_Checkpoint { get; set; }

    public string? Retry_Of { get; set; }

    public string? Retried_By { get; set; }

    public string? Schedule_Name { get; set; }

    public object? Scheduled_For { get; set; }
}
