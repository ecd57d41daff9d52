using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Benchmarks.Measuring;

/// <summary>
/// Records the moment each job or execution of one host reached a final state, by id. Fed from
/// inside the state change (our completion publisher, or a Hangfire state filter for the raw
/// baseline), so reading it costs the system under test nothing.
/// </summary>
public sealed class CompletionTracker
{
    private readonly ConcurrentDictionary<string, Completion> _completions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly List<(long Count, TaskCompletionSource Reached)> _targets = [];
    private long _count;
    private long _failures;

    public long Count => Interlocked.Read(ref _count);

    public long Failures => Interlocked.Read(ref _failures);

    public void Record(string id, bool succeeded, JsonNode? output = null, string? error = null)
    {
        var at = Clock.Now;
        if (!_completions.TryAdd(id, new Completion(at, succeeded, output, error)))
        {
            return;
        }

        if (!succeeded)
        {
            Interlocked.Increment(ref _failures);
        }

        var count = Interlocked.Increment(ref _count);
        lock (_gate)
        {
            for (var i = _targets.Count - 1; i >= 0; i--)
            {
                if (count >= _targets[i].Count)
                {
                    _targets[i].Reached.TrySetResult();
                    _targets.RemoveAt(i);
                }
            }
        }
    }

    public bool TryGet(string id, out Completion completion) => _completions.TryGetValue(id, out completion!);

    public Completion Get(string id) => _completions.TryGetValue(id, out var completion)
        ? completion
        : throw new InvalidOperationException($"No completion was recorded for '{id}'.");

    /// <summary>Waits until <paramref name="count"/> completions were recorded in total.</summary>
    public async Task WaitForCountAsync(long count, TimeSpan timeout)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (Count >= count)
            {
                return;
            }

            _targets.Add((count, reached));
        }

        try
        {
            await reached.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Only {Count} of {count} completions arrived within {timeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>Waits for one id; polls the dictionary, which is cheap, for scenarios that run few executions.</summary>
    public async Task<Completion> WaitForAsync(string id, TimeSpan timeout)
    {
        var deadline = Clock.After(Clock.Now, timeout.TotalSeconds);
        while (true)
        {
            if (TryGet(id, out var completion))
            {
                return completion;
            }

            if (Clock.Now > deadline)
            {
                throw new TimeoutException($"Execution '{id}' did not finish within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    public sealed record Completion(long At, bool Succeeded, JsonNode? Output, string? Error);
}
