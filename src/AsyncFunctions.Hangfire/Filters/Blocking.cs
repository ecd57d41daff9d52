using AsyncFunctions.Running;

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

    /// <summary>
    /// Starts the work with this thread marked as <see cref="WaitingCaller"/> and waits for it: a
    /// results store may then commit a write on this thread instead of handing it to a writer thread
    /// and being woken again.
    /// </summary>
    public static T Run<TState, T>(TState state, Func<TState, Task<T>> start)
    {
        Task<T> task;
        using (WaitingCaller.Begin())
        {
            task = start(state);
        }

        return Wait(task);
    }

    /// <inheritdoc cref="Run{TState, T}(TState, Func{TState, Task{T}})"/>
    public static void Run<TState>(TState state, Func<TState, Task> start)
    {
        Task task;
        using (WaitingCaller.Begin())
        {
            task = start(state);
        }

        Wait(task);
    }
}
