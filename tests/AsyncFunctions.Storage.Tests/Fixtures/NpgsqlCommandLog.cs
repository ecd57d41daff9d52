using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AsyncFunctions.Storage.Tests.Fixtures;

/// <summary>
/// The commands Npgsql sends to one database (each one round trip), as its tracing reports them:
/// their text, whitespace folded. Other tests' databases are left out, so classes running at the
/// same time do not disturb the count; <see cref="Trace"/> narrows it to what one piece of code sends.
/// </summary>
public sealed partial class NpgsqlCommandLog : IDisposable
{
    private readonly ActivityListener _listener;
    private const string TestSource = "AsyncFunctions.Storage.Tests";
    private static readonly ActivitySource Tests = new(TestSource);
    private readonly ConcurrentQueue<(ActivityTraceId Trace, string Text)> _commands = new();

    public NpgsqlCommandLog(string connectionString)
    {
        var database = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Npgsql", StringComparison.Ordinal) || source.Name == TestSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var on = activity.GetTagItem("db.namespace") as string ?? activity.GetTagItem("db.name") as string;
                var text = activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string;
                if (on == database && text is not null)
                {
                    _commands.Enqueue((activity.TraceId, Spaces().Replace(text, " ").Trim()));
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The commands so far, in the order they ended.</summary>
    public IReadOnlyList<string> Commands => _commands.Select(c => c.Text).ToArray();

    /// <summary>A trace to run code in (dispose it after): <see cref="CommandsOf"/> lists the commands that code sent on its own flow.</summary>
    public Activity Trace() => Tests.StartActivity("traced") ?? throw new InvalidOperationException("The test source has no listener.");

    /// <summary>The commands sent within <paramref name="trace"/>.</summary>
    public IReadOnlyList<string> CommandsOf(Activity trace) => _commands.Where(c => c.Trace == trace.TraceId).Select(c => c.Text).ToArray();

    public void Clear() => _commands.Clear();

    public void Dispose() => _listener.Dispose();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
