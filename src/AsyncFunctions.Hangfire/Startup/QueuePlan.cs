using System.Globalization;
using AsyncFunctions.FlowControl;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>
/// Which workers of this node take jobs from which queues, from <c>AsyncFunctions:Server:Queues</c>.
/// Each entry is a queue name, optionally with its own worker count (<c>"critical:4"</c>). Queues
/// without a count share the node's <see cref="ServerOptions.WorkerCount"/> workers, which take
/// them in the listed order (the first has priority where the job storage honours the order, see
/// docs/queues-and-debounce.md); a queue with a count has that many workers of its own, which take
/// only that queue, so no other queue's flood can take them.
/// </summary>
public sealed record QueuePlan(IReadOnlyList<string> Shared, int SharedWorkers, IReadOnlyList<QueuePlan.Dedicated> Own)
{
    /// <summary>A queue with workers of its own.</summary>
    public sealed record Dedicated(string Queue, int Workers);

    /// <summary>Every queue this node serves, shared ones first in their order.</summary>
    public IEnumerable<string> Queues => Shared.Concat(Own.Select(d => d.Queue));

    /// <summary>Every worker of this node.</summary>
    public int Workers => (Shared.Count > 0 ? SharedWorkers : 0) + Own.Sum(d => d.Workers);

    /// <summary>The plan of a node whose setting lists <paramref name="entries"/> (none: <paramref name="automatic"/>, in that order).</summary>
    public static QueuePlan From(IReadOnlyList<string> entries, int sharedWorkers, IEnumerable<string> automatic)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(automatic);
        if (entries.Count == 0)
        {
            return new QueuePlan(automatic.Distinct(StringComparer.Ordinal).ToArray(), sharedWorkers, []);
        }

        var shared = new List<string>();
        var own = new List<Dedicated>();
        foreach (var entry in entries)
        {
            if (Parse(entry, out var queue, out var workers) is { } problem)
            {
                throw new ArgumentException(problem, nameof(entries));
            }

            if (workers is { } count)
            {
                own.Add(new Dedicated(queue, count));
            }
            else
            {
                shared.Add(queue);
            }
        }

        return new QueuePlan(shared, sharedWorkers, own);
    }

    /// <summary>The problems of a <c>Queues</c> setting, each naming the key (empty when it is right).</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<string>? entries, int sharedWorkers, string key)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; entries is not null && i < entries.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{key}:{i}");
            if (Parse(entries[i], out var queue, out var workers) is { } problem)
            {
                problems.Add($"{at} ('{entries[i]}'): {problem}.");
            }
            else if (!seen.Add(queue))
            {
                problems.Add($"{at}: queue '{queue}' is listed twice.");
            }
            else if (workers is not null && sharedWorkers == 0)
            {
                problems.Add($"{at}: a queue's own workers need a node that runs jobs; WorkerCount 0 makes an API-only node.");
            }
        }

        return problems;
    }

    private static string? Parse(string? entry, out string queue, out int? workers)
    {
        workers = null;
        queue = entry?.Trim() ?? "";
        var colon = queue.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var count = queue[(colon + 1)..];
            queue = queue[..colon];
            if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 1000)
            {
                return $"the worker count after ':' must be a whole number from 1 to 1000, not '{count}'";
            }

            workers = parsed;
        }

        return QueueName.Problem(queue);
    }
}
