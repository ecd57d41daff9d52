using AsyncFunctions.Running;

namespace AsyncFunctions.Executions;

/// <summary>The workflows of administering executions that take more than one call: cancelling a tree, retrying as a new execution.</summary>
public sealed class ExecutionAdministration(IExecutionStore store, IExecutionControl control, IExecutionService executions)
{
    /// <summary>
    /// The job of <paramref name="record"/> is gone (expired, or lost at a restart of the embedded
    /// default): starts a new execution of the same function version, input and callback URL, for
    /// the same caller, linked both ways with the one it retries. Throws
    /// <see cref="ExecutionConflictException"/> when it was retried already.
    /// </summary>
    public async Task<ExecutionRecord> RetryAsNewAsync(ExecutionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.RetriedBy is { } earlier)
        {
            throw RetriedAlready(record.Id, earlier);
        }

        var retry = await executions.StartAsync(
            new StartRequest(record.Function, record.Input) { Caller = record.Caller, FunctionVersion = record.FunctionVersion, CallbackUrl = record.Callback?.Url },
            cancellationToken).ConfigureAwait(false);
        if (!await store.LinkRetryAsync(record.Id, retry.Id, CancellationToken.None).ConfigureAwait(false))
        {
            // A concurrent retry linked its own first: this one must not run as well.
            await control.CancelAsync(retry.Id, CancellationToken.None).ConfigureAwait(false);
            var winner = (await store.GetAsync(record.Id, cancellationToken).ConfigureAwait(false))?.RetriedBy;
            throw RetriedAlready(record.Id, winner);
        }

        return retry with { RetryOf = record.Id };
    }

    /// <summary>
    /// Cancels every unfinished execution below <paramref name="id"/>, level by level (a finished
    /// child may still have unfinished children); returns the ids it cancelled.
    /// </summary>
    public async Task<IReadOnlyList<string>> CancelDescendantsAsync(string id, CancellationToken cancellationToken)
    {
        var cancelled = new List<string>();
        var parents = new Queue<string>([id]);
        var seen = new HashSet<string>(StringComparer.Ordinal) { id };
        while (parents.TryDequeue(out var parent))
        {
            string? cursor = null;
            do
            {
                var page = await store.ListAsync(new ExecutionQuery(ParentId: parent, Limit: ExecutionQuery.MaxLimit, Cursor: cursor), cancellationToken).ConfigureAwait(false);
                foreach (var child in page.Items)
                {
                    if (!seen.Add(child.Id))
                    {
                        continue;
                    }

                    parents.Enqueue(child.Id);
                    if (!child.Status.IsTerminal() && await control.CancelAsync(child.Id, cancellationToken).ConfigureAwait(false) == ControlOutcome.Done)
                    {
                        cancelled.Add(child.Id);
                    }
                }

                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }

        return cancelled;
    }

    private static ExecutionConflictException RetriedAlready(string id, string? by) =>
        new("The execution was retried already", $"Execution '{id}' was retried already as execution '{by}'.");
}
