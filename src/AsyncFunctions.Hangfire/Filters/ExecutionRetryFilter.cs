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
public sealed class ExecutionRetryFilter(IFunctionCatalog catalog) : IElectStateFilter
{
    private const string RetryCountParameter = "RetryCount";

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is not FailedState failed || context.BackgroundJob.Job?.Args.FirstOrDefault() is not string name)
        {
            return;
        }

        var policy = PolicyOf(context, name);
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

    private RetryPolicy PolicyOf(ElectStateContext context, string name)
    {
        if (context.GetJobParameter<JobRetryPolicy?>(JobRetryPolicy.ParameterName, allowStale: true) is { } carried)
        {
            return carried.ToPolicy();
        }

        // Only jobs queued by a version that did not carry the policy get here: they take the
        // current version's policy, the best that can be known without their own.
        return Blocking.Wait(catalog.FindAsync(name).AsTask())?.Retry ?? RetryPolicy.None;
    }
}
