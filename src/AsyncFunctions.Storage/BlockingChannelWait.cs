using System.Threading.Channels;

namespace AsyncFunctions.Storage;

/// <summary>The wait of a writer loop that has a thread of its own (the group-commit writers).</summary>
internal static class BlockingChannelWait
{
    /// <summary>
    /// Waits until <paramref name="reader"/> has items (false once the channel is completed). An idle
    /// loop blocks on the wait's handle: waiting on the task itself would spin first, and the callers
    /// that would wake it need the same cores.
    /// </summary>
    public static bool WaitToRead<T>(ChannelReader<T> reader)
    {
        var waiting = reader.WaitToReadAsync();
        if (waiting.IsCompletedSuccessfully)
        {
            return waiting.Result;
        }

        var task = waiting.AsTask();
        if (!task.IsCompleted)
        {
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
            task.Dispose();
        }

        return task.GetAwaiter().GetResult();
    }
}
