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

    /// <summary>
    /// The cgroup v2 directory under which each sandbox process gets a cgroup with <c>memory.max</c>
    /// (<see cref="EffectiveCgroupMemoryMax"/>): <c>auto</c> (the parent of the server's own cgroup,
    /// when it enables the memory controller for its children and the server may create cgroups
    /// there), <c>off</c>, or a directory. Where none is usable the other bounds hold.
    /// </summary>
    public string Cgroup { get; set; } = "auto";

    /// <summary>Longest wait for a new process to be ready.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The number of processes in use: <see cref="Processes"/>, or the processors (at least 4).</summary>
    public int EffectiveProcesses => Processes > 0 ? Processes : Math.Max(4, Environment.ProcessorCount);

    /// <summary>The <c>memory.max</c> of a sandbox's cgroup: its heap ceiling plus 256 MB for the runtime, compiled code and native buffers.</summary>
    public long EffectiveCgroupMemoryMax(StackLimitOptions limits) => EffectiveCeiling(limits) + (256L * 1024 * 1024);

    /// <summary>The heap ceiling in use for the given limits.</summary>
    public long EffectiveCeiling(StackLimitOptions limits) =>
        MemoryCeilingBytes > 0 ? MemoryCeilingBytes : (2 * limits.JsMemoryBytes) + (128L * 1024 * 1024);
}
