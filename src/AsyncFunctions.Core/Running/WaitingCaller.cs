namespace AsyncFunctions.Running;

/// <summary>
/// Marks the current thread as one that waits, synchronously, for the work it is about to start:
/// a Hangfire filter on a worker, job-creation or scheduler thread, which exists to wait. A store
/// that would otherwise hand a write to a thread of its own may then do it on this thread, saving
/// two thread hand-offs (to the store's thread and back), while a caller that awaits (a request, a
/// function body) keeps its thread free. The mark is per thread, never carried to an
/// <see langword="await"/>'s continuation on another thread, and only seen by what runs
/// synchronously inside <see cref="Begin"/>'s scope.
/// </summary>
public static class WaitingCaller
{
    [ThreadStatic]
    private static bool t_waits;

    /// <summary>Whether the current thread waits synchronously for what it starts.</summary>
    public static bool OnThisThread => t_waits;

    /// <summary>Marks the current thread until the returned scope is disposed (scopes nest).</summary>
    public static Scope Begin()
    {
        var before = t_waits;
        t_waits = true;
        return new Scope(before);
    }

    /// <summary>Restores the mark the thread had before <see cref="Begin"/>.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly bool _before;

        internal Scope(bool before) => _before = before;

        public void Dispose() => t_waits = _before;
    }
}
