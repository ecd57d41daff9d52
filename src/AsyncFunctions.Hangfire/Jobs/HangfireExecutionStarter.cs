using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.Jobs;

/// <summary>Queues one Hangfire job per execution; the job id becomes the execution id.</summary>
public sealed class HangfireExecutionStarter(IBackgroundJobClient jobs, IExecutionStore store, TimeProvider time) : IExecutionStarter
{
    private static readonly Job Template = Job.FromExpression<ExecutionJob>(j => j.RunAsync(null!, null!, CancellationToken.None));

    public async Task<ExecutionRecord> EnqueueAsync(FunctionDescriptor function, JsonObject input, string? parentId, int callDepth, CancellationToken cancellationToken)
    {
        var draft = new ExecutionDraft(function.Name, function.Version, input, parentId, callDepth, time.GetUtcNow());
        string id;
        using (ExecutionDraft.Begin(draft))
        {
            try
            {
                id = jobs.Create(new Job(Template.Type, Template.Method, function.Name, null, CancellationToken.None), new EnqueuedState());
            }
            catch (Exception ex) when (draft.Written is not null)
            {
                // The row was written but Hangfire could not finish creating the job: it will never run.
                await store.ApplyAsync(
                    new StatusChange(draft.Written.Id, function.Name, ExecutionStatus.Failed, time.GetUtcNow())
                    {
                        Error = new ExecutionError(ex.GetType().Name, "The job could not be queued: " + ex.Message, ExecutionErrorCodes.Lost),
                    },
                    CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }

        var written = draft.Written ?? throw new InvalidOperationException(
            $"Job '{id}' was created but its execution row was not written: the AsyncFunctions state filter is not installed.");
        return new ExecutionRecord
        {
            Id = id,
            Function = written.Function,
            FunctionVersion = written.FunctionVersion,
            Status = written.Status,
            Input = written.Input,
            ParentId = written.ParentId,
            CallDepth = written.CallDepth,
            CreatedAt = written.CreatedAt,
        };
    }
}
