namespace AsyncFunctions.Sandbox;

/// <summary>
/// The realm the next request will be evaluated in, made on another thread while the process
/// evaluates the current request or waits for the next one. Limits are part of a realm (its engine's
/// constraints), so one made for other limits is dropped and the request gets a new one. A realm is
/// handed out once; nothing of one evaluation reaches the next.
/// </summary>
/// <remarks>
/// The maker's allocations do not count against the evaluation beside it: Jint and the built-in
/// guards count the allocations of the evaluating thread only.
/// </remarks>
internal sealed class NextRealm
{
    private Task<JsRealm?>? _making;
    private SandboxLimits? _limits;

    /// <summary>Starts making the realm for a request with <paramref name="limits"/> (those of the last one), unless one is being made.</summary>
    public void Prepare(SandboxLimits limits)
    {
        if (_making is not null)
        {
            return;
        }

        _limits = limits;
        _making = Task.Run(() => Make(limits));
    }

    /// <summary>
    /// The realm made ahead, if it is ready and was made for these limits; null when the request
    /// must make its own. A realm still being made is not waited for (on a busy machine the maker's
    /// thread may wait long for a processor): it serves a later request.
    /// </summary>
    public JsRealm? Take(SandboxLimits limits)
    {
        var making = _making;
        if (making is null || !making.IsCompleted)
        {
            return null;
        }

        _making = null;
        var realm = making.Result;
        if (realm is not null && !limits.Equals(_limits))
        {
            realm.Dispose();
            return null;
        }

        return realm;
    }

    private static JsRealm? Make(SandboxLimits limits)
    {
        try
        {
            return new JsRealm(limits, guardBuiltIns: true);
        }
        catch (Exception ex) when (ex is OutOfMemoryException or InsufficientExecutionStackException)
        {
            // Out of memory beside an evaluation that ran the process out of it: the process ends, or the request makes its own.
            return null;
        }
    }
}
