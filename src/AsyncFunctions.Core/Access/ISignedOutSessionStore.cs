namespace AsyncFunctions.Access;

/// <summary>
/// Sessions that were ended on purpose (a sign-out), kept where every node of the platform reads
/// them: a copy of the session's token presented later, to any node, is refused.
/// </summary>
public interface ISignedOutSessionStore
{
    /// <summary>Records the session as ended until <paramref name="until"/>, when its token can no longer be valid anyway; also forgets sessions whose time has passed.</summary>
    Task SignOutAsync(string sessionId, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Whether the session was ended.</summary>
    Task<bool> IsSignedOutAsync(string sessionId, CancellationToken cancellationToken = default);
}
