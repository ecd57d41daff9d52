using System.Globalization;

namespace AsyncFunctions.Hangfire.Nodes;

/// <summary>
/// This process as a node: its id in the nodes table, the Hangfire server id of its workers, and
/// what its heartbeat last told it. A run asks it whether it may have been taken over before it
/// writes an outcome (see <see cref="RunOwnership"/>).
/// </summary>
public sealed class NodeIdentity(TimeProvider time)
{
    private string? _serverId;
    private long _lastBeatStarted;
    private long _takeoverNoticed;
    private int _heartbeating;

    /// <summary>host:process:random, new at every start, so a restarted node is a new node.</summary>
    public string NodeId { get; } = string.Create(
        CultureInfo.InvariantCulture,
        $"{Environment.MachineName.ToLowerInvariant()}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}");

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    /// <summary>The id of this node's Hangfire server (it changes when Hangfire restarts its server); null before it starts or on an API-only node.</summary>
    public string? ServerId
    {
        get => Volatile.Read(ref _serverId);
        internal set => Volatile.Write(ref _serverId, value);
    }

    /// <summary>Whether this node records heartbeats at all (shared topologies only); without them nothing is ever taken over.</summary>
    public bool IsHeartbeating => Volatile.Read(ref _heartbeating) == 1;

    public void StartHeartbeating() => Volatile.Write(ref _heartbeating, 1);

    /// <summary>A heartbeat that began at <paramref name="startedTimestamp"/> (<see cref="TimeProvider.GetTimestamp"/>) was written.</summary>
    public void BeatWritten(long startedTimestamp) => Interlocked.Exchange(ref _lastBeatStarted, startedTimestamp);

    /// <summary>A heartbeat found that another node took this node's work over since the previous beat.</summary>
    public void TakeoverNoticed(long timestamp) => Interlocked.Exchange(ref _takeoverNoticed, timestamp);

    /// <summary>
    /// Whether a run that began at <paramref name="runStarted"/> may have been taken over: this
    /// node's last written heartbeat began <paramref name="safeWindow"/> or longer ago (a survivor
    /// acts only after a whole node timeout without a beat, by its own clock), or a heartbeat since
    /// the run began found a takeover. False means certainly not; true means look at the job.
    /// </summary>
    public bool MayHaveBeenTakenOver(long runStarted, TimeSpan safeWindow)
    {
        if (!IsHeartbeating)
        {
            return false;
        }

        var lastBeat = Interlocked.Read(ref _lastBeatStarted);
        var noticed = Interlocked.Read(ref _takeoverNoticed);
        return lastBeat == 0 || time.GetElapsedTime(lastBeat) >= safeWindow || (noticed != 0 && noticed >= runStarted);
    }

    /// <summary>Now on the clock of <see cref="MayHaveBeenTakenOver"/> (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long Now() => time.GetTimestamp();
}
