namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>
/// The sandbox processes that evaluate a stack's JavaScript (<c>AsyncFunctions:Stacks:Sandbox</c>):
/// how many run at once, how long one lives, and the memory ceiling the runtime and the operating
/// system hold each to.
/// </summary>
public sealed class SandboxOptions
{
    /// <summary>Most sandbox processes at once, kept ready; further evaluations wait for one. 0: the number of processors, at least 4.</summary>
    public int Processes { get; set; }

    /// <summary>Evaluations one process serves before it is replaced (a process that hit a limit is replaced at once).</summary>
    public int EvaluationsPerProcess { get; set; } = 10_000;

    /// <summary>
    /// The managed heap a sandbox process may hold (GCHeapHardLimit); its address space may grow by
    /// this much plus 512 MB (RLIMIT_AS). Before each evaluation the process lowers its heap limit to
    /// what it holds plus <see cref="StackLimitOptions.JsMemoryBytes"/> and 32 MB, within this
    /// ceiling. 0: twice <see cref="StackLimitOptions.JsMemoryBytes"/> plus 128 MB.
    /// </summary>
    public long MemoryCeilingBytes { get; set; }

    /// <summary>Time a process has after a script's <see cref="StackLimitOptions.JsTimeout"/> to answer before it is ended.</summary>
    public TimeSpan KillGrace { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A process unused this long ends, and the memory it held goes back to the operating system.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest wait for a new process to be ready.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The number of processes in use: <see cref="Processes"/>, or the processors (at least 4).</summary>
    public int EffectiveProcesses => Processes > 0 ? Processes : Math.Max(4, Environment.ProcessorCount);

    /// <summary>The heap ceiling in use for the given limits.</summary>
    public long EffectiveCeiling(StackLimitOptions limits) =>
        MemoryCeilingBytes > 0 ? MemoryCeilingBytes : (2 * limits.JsMemoryBytes) + (128L * 1024 * 1024);
}
