using AsyncFunctions.Executions;

namespace AsyncFunctions.Awaiting;

/// <summary>Where state transitions are reported so that local waiters wake at once.</summary>
public interface ICompletionPublisher
{
    /// <summary>An execution of this process reached <paramref name="result"/>.</summary>
    void Publish(ExecutionResult result);

    /// <summary>Another node says these executions changed; re-read them now.</summary>
    void Signal(IEnumerable<string> ids);
}
