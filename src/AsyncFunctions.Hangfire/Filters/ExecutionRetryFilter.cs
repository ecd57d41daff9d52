using System.Globalization;
using AsyncFunctions.Functions;
using AsyncFunctions.Hangfire.Jobs;
using AsyncFunctions.Hangfire.States;
using AsyncFunctions.Running;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.Filters;

/// <summary>
/// Retries a failed execution as its function's <see cref="RetryPolicy"/> says, in place of
/// Hangfire's global AutomaticRetry (10 attempts for every job), so a function without retries
/// fails at once and await does not wait for hours of back-off. The policy of the version the
/// execution runs travels with the job (<see cref="JobRetryPolicy"/>); the attempt's error travels
/// in the <see cref="RetryScheduledState"/> it elects.
/// </summary>
public sealed class ExecutionRetryFilter : IElectStateFilter
{
    private const string RetryCountParameter = "RetryCount";

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is not FailedState failed || context.BackgroundJob.Job?.Type != typeof(ExecutionJob))
        {
            return;
        }

        var policy = PolicyOf(context);
        var retriesSoFar = context.GetJobParameter<int>(RetryCountParameter, allowStale: true);
        if (retriesSoFar >= policy.MaxRetries || failed.Exception is OperationCanceledException)
        {
            return;
        }

        var retry = retriesSoFar + 1;
        context.SetJobParameter(RetryCountParameter, retry);
        context.CandidateState = new RetryScheduledState(policy.DelayBefore(retry), ExecutionErrors.From(failed.Exception))
        {
            Reason = string.Create(CultureInfo.InvariantCulture, $"Retry {retry} of {policy.MaxRetries}: {failed.Exception.Message}"),
        };
    }

    /// <remarks>
    /// A job carries its policy only when the function retries; no parameter means no retry. Jobs
    /// queued by a version from before the policy travelled with the job fail without retries.
    /// </remarks>
    private static RetryPolicy PolicyOf(ElectStateContext context) =>
        context.GetJobParameter<JobRetryPolicy?>(JobRetryPolicy.ParameterName, allowStale: true)?.ToPolicy() ?? RetryPolicy.None;
}
