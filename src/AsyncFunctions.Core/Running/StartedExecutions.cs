using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Running;

/// <summary>
/// The rows of executions this node created moments ago, so that their first run need not read
/// its row back: every run used to begin with that read, though the node that created the row had
/// it a few milliseconds earlier. A copy is used only when the run's start was written with
/// <see cref="IExecutionRecords.ApplyFirstStartAsync"/>, which applies only while the record has
/// never started: a retry, a resume, a run begun on another node or a start written twice finds the
/// copy stale (the write says so, atomically) and the run reads the row as before.
/// <para>
/// Bounded: small inputs only (<see cref="MaxInputSize"/>, kept as their JSON text), and two generations of
/// <see cref="GenerationSize"/> rows each; when the newer one fills, the older is dropped with the
/// copies nobody ran here (executions another node ran, or still queued behind a long backlog),
/// whose runs then read their rows.
/// </para>
/// </summary>
public sealed class StartedExecutions
{
    /// <summary>Rows kept per generation; at most twice as many are kept.</summary>
    public const int GenerationSize = 2048;

    /// <summary>An input whose JSON text is longer than this many characters is not kept.</summary>
    public const int MaxInputSize = 4096;

    private readonly Lock _rotation = new();
    private ConcurrentDictionary<string, Entry> _newer = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, Entry> _older = new(StringComparer.Ordinal);
    private long _used;

    /// <summary>Runs that began from a kept row instead of reading it (for tests and the benchmark).</summary>
    public long Used => Interlocked.Read(ref _used);

    /// <summary>Keeps the row of an execution this node just created; call once its write committed.</summary>
    public void Created(NewExecution row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.LeaseExpiresAt is not null)
        {
            return;
        }

        // The input as the row holds it: its JSON text. A read parses that text, so a run started
        // from the kept row must see the same values (a number written by C# as a long reads back as
        // a JSON number that converts to any numeric type, for example).
        var input = row.Input.ToJsonString();
        if (input.Length > MaxInputSize)
        {
            return;
        }

        var newer = _newer;
        newer[row.Id] = new Entry(row, input);
        if (newer.Count >= GenerationSize)
        {
            lock (_rotation)
            {
                if (ReferenceEquals(newer, _newer))
                {
                    _older = newer;
                    _newer = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
                }
            }
        }
    }

    /// <summary>Whether a row of <paramref name="id"/> is kept: its start may then be written as a first start.</summary>
    public bool Holds(string id) => _newer.ContainsKey(id) || _older.ContainsKey(id);

    /// <summary>
    /// The start of <paramref name="id"/> was written as its first (<see cref="IExecutionRecords.ApplyFirstStartAsync"/>
    /// applied): the kept row is what a read would return, with one attempt begun at <paramref name="startedAt"/>.
    /// </summary>
    public void Started(string id, DateTimeOffset startedAt)
    {
        if (Find(id) is { } entry)
        {
            entry.Start = new StartTime(startedAt);
        }
    }

    /// <summary>Drops the kept row of <paramref name="id"/>: its start was not its first, so the run reads the row.</summary>
    public void Forget(string id)
    {
        _newer.TryRemove(id, out _);
        _older.TryRemove(id, out _);
    }

    /// <summary>
    /// Takes the kept row of <paramref name="id"/> when its first start was written here
    /// (<see cref="Started"/>); its input is parsed from the text the row holds, as a read would, so
    /// the run may change it and sees the values a read would give.
    /// </summary>
    public bool TryTake(string id, out NewExecution row, out DateTimeOffset startedAt)
    {
        if ((_newer.TryRemove(id, out var entry) || _older.TryRemove(id, out entry)) && entry.Start is { } start)
        {
            row = entry.Row with { Input = JsonNode.Parse(entry.Input)!.AsObject() };
            startedAt = start.At;
            Interlocked.Increment(ref _used);
            return true;
        }

        row = null!;
        startedAt = default;
        return false;
    }

    private Entry? Find(string id) =>
        _newer.TryGetValue(id, out var entry) || _older.TryGetValue(id, out entry) ? entry : null;

    private sealed class Entry(NewExecution row, string input)
    {
        public NewExecution Row { get; } = row;

        public string Input { get; } = input;

        /// <summary>Set once the start was written as the first; read by the worker that then runs it.</summary>
        public StartTime? Start { get; set; }
    }

    /// <summary>A reference, so that another thread reads it whole.</summary>
    private sealed record StartTime(DateTimeOffset At);
}
