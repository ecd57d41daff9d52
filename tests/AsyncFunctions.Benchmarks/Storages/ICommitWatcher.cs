namespace AsyncFunctions.Benchmarks.Storages;

/// <summary>
/// Sees, independently of the platform, the moment a finished execution's result became visible
/// to other database sessions (PostgreSQL: the NOTIFY that the result's commit delivers).
/// </summary>
public interface ICommitWatcher : IAsyncDisposable
{
    /// <summary>When the commit of <paramref name="id"/>'s final result was seen, as a <see cref="Measuring.Clock"/> timestamp.</summary>
    bool TrySeen(string id, out long at);
}
