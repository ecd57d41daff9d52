using System.Collections.Concurrent;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.Sandbox;

namespace AsyncFunctions.FunctionStacks.Sandboxing;

/// <summary>
/// The sandbox processes of one server: at most <see cref="SandboxOptions.EffectiveProcesses"/> at
/// once, started when needed, kept between evaluations and replaced after
/// <see cref="SandboxOptions.EvaluationsPerProcess"/>, after a limit, or when ended at a deadline.
/// Waiting for a process does not count against a script's time.
/// </summary>
public sealed class SandboxPool : IDisposable
{
    private readonly SandboxOptions _options;
    private readonly long _heapCeiling;
    private readonly SandboxCgroup? _cgroup;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<SandboxProcess> _idle = [];
    private int _processes;
    private int _sparing;
    private volatile bool _disposed;

    public SandboxPool(SandboxOptions options, StackLimitOptions limits)
    {
        _options = options;
        _heapCeiling = options.EffectiveCeiling(limits);
        _slots = new SemaphoreSlim(options.EffectiveProcesses);
        _cgroup = SandboxCgroup.Find(options.Cgroup, options.EffectiveCgroupMemoryMax(limits), out var reason);
        MemoryBounds = _cgroup is { } cgroup
            ? $"heap limit {_heapCeiling} bytes, address-space limit, cgroup v2 memory.max {cgroup.MemoryMax} bytes under {cgroup.Parent}"
            : $"heap limit {_heapCeiling} bytes, address-space limit (no cgroup: {reason ?? "off"})";
    }

    /// <summary>What bounds a sandbox process's memory on this server, for the start-up log and the docs' checks.</summary>
    public string MemoryBounds { get; }

    /// <summary>The cgroup v2 parent of the sandbox processes' cgroups; null where none is usable.</summary>
    public string? CgroupParent => _cgroup?.Parent;

    /// <summary>
    /// Evaluates in a sandbox process. A reply is returned as it came; a process ended at the
    /// deadline gives <c>limit.js_timeout</c>, one that ended on its own (its memory ceiling)
    /// <c>limit.js_memory</c>; cancellation ends the process and throws.
    /// </summary>
    internal async Task<SandboxResult> EvaluateAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var process = TakeIdle() ?? await StartAsync(cancellationToken).ConfigureAwait(false);
            StartSpares();
            SandboxOutcome outcome;
            try
            {
                outcome = await process.EvaluateAsync(SandboxProtocol.EncodeRequest(request), request.Limits.Timeout + _options.KillGrace, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                End(process);
                throw;
            }

            if (outcome.Last || process.Evaluations >= _options.EvaluationsPerProcess || _disposed)
            {
                End(process);
                StartSpares();
            }
            else
            {
                _idle.Add(process);
            }

            if (outcome.Reply is { } reply)
            {
                return reply;
            }

            cancellationToken.ThrowIfCancellationRequested();
            return SandboxResult.Failed(outcome.TimedOut
                ? JsRealm.TimedOut(request.Path, request.Limits)
                : new SandboxError(SandboxCodes.LimitJsMemory,
                    $"The JavaScript at {request.Path} ended its sandbox (exit code {outcome.ExitCode}), which a script going over the sandbox's memory ceiling does (limit.js_memory).",
                    null, false));
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<SandboxProcess> StartAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _processes);
        try
        {
            return await SandboxProcess.StartAsync(_heapCeiling, _cgroup, _options.StartTimeout, _options.IdleTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _processes);
            throw;
        }
    }

    /// <summary>
    /// Starts processes in the background up to the pool's size, so that the next evaluations (and
    /// the one after a process ended at a limit) find one ready instead of waiting for a start.
    /// </summary>
    /// <remarks>
    /// One at a time: a start takes a processor for most of a second, and several at once (after
    /// executions that ran their sandboxes out of memory together) would take the processors from
    /// the evaluations still running. An evaluation that finds no process ready starts its own.
    /// </remarks>
    private void StartSpares()
    {
        if (_disposed || Interlocked.CompareExchange(ref _sparing, 1, 0) != 0)
        {
            return;
        }

        while (true)
        {
            var count = Volatile.Read(ref _processes);
            if (count >= _options.EffectiveProcesses || _disposed)
            {
                Volatile.Write(ref _sparing, 0);
                return;
            }

            if (Interlocked.CompareExchange(ref _processes, count + 1, count) == count)
            {
                break;
            }
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var spare = await SandboxProcess.StartAsync(_heapCeiling, _cgroup, _options.StartTimeout, _options.IdleTimeout, CancellationToken.None).ConfigureAwait(false);
                if (_disposed)
                {
                    End(spare);
                }
                else
                {
                    _idle.Add(spare);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
            {
                // A spare that failed to start is not needed: an evaluation starts its own and reports why.
                Interlocked.Decrement(ref _processes);
                Volatile.Write(ref _sparing, 0);
                return;
            }

            Volatile.Write(ref _sparing, 0);
            StartSpares();
        });
    }

    private void End(SandboxProcess process)
    {
        process.Dispose();
        Interlocked.Decrement(ref _processes);
    }

    /// <summary>A kept process that has not reached its idle time (less a margin, so that it cannot end while it is sent a request).</summary>
    private SandboxProcess? TakeIdle()
    {
        var fresh = (long)Math.Max(0, (_options.IdleTimeout - TimeSpan.FromSeconds(2)).TotalMilliseconds);
        while (_idle.TryTake(out var process))
        {
            if (!process.HasExited && Environment.TickCount64 - process.LastUsed < fresh)
            {
                return process;
            }

            End(process);
        }

        return null;
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var process))
        {
            End(process);
        }
    }
}
