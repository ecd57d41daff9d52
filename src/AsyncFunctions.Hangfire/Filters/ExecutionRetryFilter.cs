using System.Globalization;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Running;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.Filters;

/// <summary>
/// Retries a failed execution as its function's <see cref="RetryPolicy"/> says, in place of
/// Hangfire's global AutomaticRetry (10 attempts for every job), so a function without retries
/// fails at once and await does not wait for hours of back-off.
/// </summary>
public sealed class ExecutionRetryFilter(IFunctionCatalog catalog, IExecutionStore store, ExecutionStateFilter states) : IElectStateFilter
{
    private const string RetryCountParameter = "RetryCount";

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is not FailedState failed || context.BackgroundJob.Job?.Args.FirstOrDefault() is not string name)
        {
            return;
        }

        // The policy of the version this execution runs: a definition replaced meanwhile does not change its retries.
        var version = Blocking.Wait(store.GetAsync(context.BackgroundJob.Id))?.FunctionVersion;
        var function = Blocking.Wait(catalog.FindAsync(name, version).AsTask());
        var policy = function?.Retry ?? RetryPolicy.None;
        var retriesSoFar = context.GetJobParameter<int>(RetryCountParameter, allowStale: true);
        if (retriesSoFar >= policy.MaxRetries || failed.Exception is OperationCanceledException)
        {
            return;
        }

        var retry = retriesSoFar + 1;
        context.SetJobParameter(RetryCountParameter, retry);
        states.RememberRetryError(context.BackgroundJob.Id, ExecutionErrors.From(failed.Exception));
        context.CandidateState = new ScheduledState(policy.DelayBefore(retry))
        {
            Reason = string.Create(CultureInfo.InvariantCulture, $"Retry {retry} of {policy.MaxRetries}: {failed.Exception.Message}"),
        };
    }
}
