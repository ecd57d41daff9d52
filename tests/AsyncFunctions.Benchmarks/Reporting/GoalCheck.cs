namespace AsyncFunctions.Benchmarks.Reporting;

/// <summary>One goal held against one measured figure.</summary>
public sealed record GoalCheck(string Goal, string Storage, string Measured, string Target, string Verdict);
