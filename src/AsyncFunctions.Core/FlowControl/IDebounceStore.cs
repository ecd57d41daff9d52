using System.Text.Json.Nodes;

namespace AsyncFunctions.FlowControl;

/// <summary>
/// The pending executions of debounced functions, one per function and key value, in the results
/// database so every node folds into the same one. Each method is one atomic decision there.
/// </summary>
public interface IDebounceStore
{
    /// <summary>
    /// Folds a start into the pending execution of <paramref name="function"/> and <paramref name="key"/>:
    /// its run moves to <paramref name="runAt"/> and its input becomes <paramref name="input"/>.
    /// Returns its id, or null when none is pending (none yet, or it has begun to run).
    /// </summary>
    Task<string?> TryFoldAsync(string function, string key, JsonObject input, DateTimeOffset runAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reserves the function and key for a new pending execution; false while another start holds
    /// it (that start is creating one: fold into it once it is there). A reservation older than
    /// <paramref name="staleBefore"/> that never got its execution is taken over.
    /// </summary>
    Task<bool> TryReserveAsync(string function, string key, DateTimeOffset runAt, DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken = default);

    /// <summary>Names the pending execution a reservation created.</summary>
    Task AttachAsync(string function, string key, string executionId, CancellationToken cancellationToken = default);

    /// <summary>Gives back a reservation whose execution could not be created.</summary>
    Task ReleaseAsync(string function, string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// At the time the pending execution <paramref name="executionId"/> was to run: null when it
    /// runs now (folding into it ends; a later start makes a new one), or the later time a folded
    /// start moved its run to.
    /// </summary>
    Task<DateTimeOffset?> ClaimAsync(string function, string key, string executionId, DateTimeOffset now, CancellationToken cancellationToken = default);
}
