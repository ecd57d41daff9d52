using System.ComponentModel;

namespace AsyncFunctions.Contracts;

[Description("The rate limit of a function stack document.")]
public sealed record RateLimitDocument
{
    [Description("How many executions may be admitted per period (1 to 100000), per key value when key is given.")]
    public required int Limit { get; init; }

    [Description("The period in seconds (1 to 86400).")]
    public required int PeriodSeconds { get; init; }

    [Description("An expression over $input and $auth whose value divides the limit. Absent: one limit for all executions of the function.")]
    public string? Key { get; init; }
}
