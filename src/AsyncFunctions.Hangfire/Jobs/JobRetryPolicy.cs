using AsyncFunctions.Functions;

namespace AsyncFunctions.Hangfire.Jobs;

/// <summary>
/// The retry policy of the function version a job runs, kept as a job parameter from its
/// creation, so the retry filter decides a failed attempt without reading any database.
/// </summary>
public sealed record JobRetryPolicy(int MaxRetries, int[] DelaySeconds)
{
    public const string ParameterName = "AsyncFunctions.Retry";

    public static JobRetryPolicy From(RetryPolicy policy) => new(policy.MaxRetries, [.. policy.DelaySeconds]);

    public RetryPolicy ToPolicy() => new(MaxRetries, DelaySeconds ?? []);
}
