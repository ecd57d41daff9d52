using AsyncFunctions.Executions;

namespace AsyncFunctions.Awaiting;

/// <summary>
/// The <see cref="ICompletionPublisher"/> of the process: hands completions to the awaiter, and
/// another node's signals (PostgreSQL NOTIFY) to the open watches of <see cref="ExecutionChangeFeed"/>
/// too. Local changes reach the feed from the state filter directly, terminal or not.
/// </summary>
internal sealed class CompletionRelay(ExecutionAwaiter awaiter, ExecutionChangeFeed changes) : ICompletionPublisher
{
    public void Publish(ExecutionResult result) => awaiter.Publish(result);

    public void Signal(IEnumerable<string> ids)
    {
        var list = ids as IReadOnlyCollection<string> ?? ids.ToArray();
        awaiter.Signal(list);
        changes.Changed(list);
    }
}
