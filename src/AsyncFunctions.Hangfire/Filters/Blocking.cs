namespace AsyncFunctions.Hangfire.Filters;

/// <summary>
/// Hangfire's filter interfaces are synchronous, so filters wait for their database writes. They
/// run on threads that exist to wait: the job-creation threads (every start), Hangfire's worker
/// and scheduler threads. The one exception is a dashboard button (requeue, delete), which waits
/// in its request; that is an operator's click, not a load. <c>Task.Wait</c> spins before it
/// sleeps; with many workers waiting on one SQLite writer that spinning burned most of the CPU,
/// so filters wait on the task's handle instead. The handle is released once the task completed
/// (disposing a completed task does only that): left to the finalizer, one handle per wait made the
/// finalizer thread a busy one.
/// </summary>
internal static class Blocking
{
    public static T Wait<T>(Task<T> task)
    {
        if (!task.IsCompleted)
        {
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
            task.Dispose();
        }

        return task.GetAwaiter().GetResult();
    }

    public static void Wait(Task task)
    {
        if (!task.IsCompleted)
        {
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
            task.Dispose();
        }

        task.GetAwaiter().GetResult();
    }
}
