using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Hangfire.Jobs;

/// <summary>
/// Carries a job's output to the state filter that records <c>Succeeded</c>. The worker applies
/// that state in the same process right after the job returns, so the output is written with the
/// status in one statement and never copied into Hangfire's own storage. The filter reads the
/// output and drops it only once the write is done, so a state change that Hangfire retries
/// still finds it. An output whose state change never comes (the job was deleted or the server
/// stopped meanwhile) is dropped after <see cref="MaxAge"/>.
/// </summary>
public sealed class OutputHandOff(TimeProvider time)
{
    /// <summary>Far longer than a state change takes, even retried.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, (JsonNode? Output, long At)> _outputs = new(StringComparer.Ordinal);
    private long _nextSweep;

    public int Count => _outputs.Count;

    public void Put(string executionId, JsonNode? output)
    {
        var now = time.GetTimestamp();
        _outputs[executionId] = (output, now);
        if (now >= Interlocked.Read(ref _nextSweep))
        {
            Interlocked.Exchange(ref _nextSweep, now + (long)(MaxAge.TotalSeconds * time.TimestampFrequency / 10));
            foreach (var (id, entry) in _outputs)
            {
                if (time.GetElapsedTime(entry.At, now) > MaxAge)
                {
                    _outputs.TryRemove(id, out _);
                }
            }
        }
    }

    public JsonNode? Peek(string executionId) => _outputs.TryGetValue(executionId, out var entry) ? entry.Output : null;

    /// <summary>Drops an output once its Succeeded state is written, or will never be applied.</summary>
    public void Discard(string executionId) => _outputs.TryRemove(executionId, out _);
}
