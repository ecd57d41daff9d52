namespace AsyncFunctions.Storage.Schedules;

/// <summary>A row of af_schedules as Dapper reads it; timestamps stay raw until the dialect converts them.</summary>
internal sealed class ScheduleRow
{
    public string Name { get; set; } = "";

    public string Function_Name { get; set; } = "";

    public string Input { get; set; } = "{}";

    public string Cron { get; set; } = "";

    public string Time_Zone { get; set; } = "UTC";

    public long Enabled { get; set; }

    public string Overlap { get; set; } = "";

    public string? Callback_Url { get; set; }

    public string? Owner_Key { get; set; }

    public string? Owner_Role { get; set; }

    public long Declared { get; set; }

    public object Created_At { get; set; } = null!;

    public object Updated_At { get; set; } = null!;

    public object? Last_Run_At { get; set; }

    public string? Last_Execution_Id { get; set; }

    public long Skipped_Runs { get; set; }
}
