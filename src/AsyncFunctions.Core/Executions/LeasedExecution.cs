namespace AsyncFunctions.Executions;

/// <summary>An unfinished execution held by a lease (a sync run).</summary>
public sealed record LeasedExecution(string Id, string Function);
