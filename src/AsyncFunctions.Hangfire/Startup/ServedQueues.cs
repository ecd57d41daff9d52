using AsyncFunctions.Definitions;
using AsyncFunctions.FlowControl;
using AsyncFunctions.Functions;
using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>
/// The queues the shared workers of a node without a <c>Queues</c> setting take: <c>default</c>
/// and every queue its functions name, growing while the node runs. A function saved on this node
/// that names a new queue adds it at once (<see cref="SavedAsync"/>); one saved on another node is
/// found by the node's periodic check (<see cref="CheckAsync"/>, every
/// <see cref="ServerOptions.QueueCheckInterval"/>). A queue is never dropped while the node runs:
/// executions may still wait in it.
/// <para>
/// Each change makes a new <see cref="Snapshot"/> and cancels the old one's
/// <see cref="Snapshot.Replaced"/> token, which wakes the workers waiting for a job on the old
/// list (<see cref="LiveQueueWorker"/>) and has the server announce its queues again.
/// </para>
/// </summary>
public sealed partial class ServedQueues(IFunctionCatalog catalog, ILogger<ServedQueues> logger) : IDefinitionSaveObserver
{
    private readonly Lock _gate = new();
    private Snapshot? _current;

    /// <summary>The queues now served; null while the list is fixed (a <c>Queues</c> setting, an API-only node) or before the server starts.</summary>
    public Snapshot? Current => Volatile.Read(ref _current);

    /// <summary>Makes the list live, starting with <paramref name="queues"/>.</summary>
    public Snapshot Start(IEnumerable<string> queues)
    {
        lock (_gate)
        {
            var first = new Snapshot(Order(queues));
            Volatile.Write(ref _current, first);
            return first;
        }
    }

    /// <summary>Adds the valid queues of <paramref name="queues"/> not yet served; false when none was new or the list is not live.</summary>
    public bool TakeUp(IEnumerable<string> queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        Snapshot replaced;
        Snapshot next;
        lock (_gate)
        {
            if (_current is null)
            {
                return false;
            }

            var added = queues.Where(QueueName.IsValid).Except(_current.Queues, StringComparer.Ordinal).ToArray();
            if (added.Length == 0)
            {
                return false;
            }

            replaced = _current;
            next = new Snapshot(Order(_current.Queues.Concat(added)));
            Volatile.Write(ref _current, next);
            LogTakenUp(logger, string.Join(", ", added), string.Join(", ", next.Queues));
        }

        replaced.Replace();
        return true;
    }

    /// <summary>One round of the periodic check: takes up every queue the functions name now.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (Current is null)
        {
            return;
        }

        var functions = await catalog.ListAsync(cancellationToken).ConfigureAwait(false);
        TakeUp(functions.Select(f => f.Flow.Queue));
    }

    /// <summary>A function saved on this node: its queue is served before the save answers.</summary>
    public async Task SavedAsync(string name, CancellationToken cancellationToken)
    {
        if (Current is null)
        {
            return;
        }

        try
        {
            if (await catalog.FindAsync(name, cancellationToken).ConfigureAwait(false) is { } function)
            {
                TakeUp([function.Flow.Queue]);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The save has committed; the periodic check takes the queue up instead.
            LogLookupFailed(logger, name, ex);
        }
    }

    /// <summary><c>default</c> first, then the others by name (as at start-up).</summary>
    private static string[] Order(IEnumerable<string> queues) =>
        [.. queues.Distinct(StringComparer.Ordinal).OrderBy(q => q == FunctionFlow.DefaultQueue ? 0 : 1).ThenBy(q => q, StringComparer.Ordinal)];

    [LoggerMessage(Level = LogLevel.Information, Message = "Job server: the shared workers take up the queue(s) [{Added}] a function names; they now take [{Queues}].")]
    private static partial void LogTakenUp(ILogger logger, string added, string queues);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job server: could not read the saved function '{Name}' to serve its queue; the periodic queue check will.")]
    private static partial void LogLookupFailed(ILogger logger, string name, Exception exception);

    /// <summary>One version of the list, with the token that fires when a newer one replaces it.</summary>
    public sealed class Snapshot
    {
        private readonly CancellationTokenSource _replaced = new();

        internal Snapshot(string[] queues) => Queues = queues;

        public IReadOnlyList<string> Queues { get; }

        /// <summary>Fires when a newer list replaces this one.</summary>
        public CancellationToken Replaced => _replaced.Token;

        // Never disposed: workers link their waits to the token at any time; it holds no timer.
        internal void Replace() => _replaced.Cancel();
    }
}
