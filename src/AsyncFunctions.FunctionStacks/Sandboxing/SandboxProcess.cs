using System.Diagnostics;
using AsyncFunctions.Sandbox;

namespace AsyncFunctions.FunctionStacks.Sandboxing;

/// <summary>
/// One sandbox process: <c>dotnet AsyncFunctions.Sandbox.dll</c> started with its heap ceiling and
/// address-space growth set, talking length-prefixed frames over its standard input and output. It
/// serves one request at a time; at the deadline or on cancellation it is killed, which also ends
/// the read that waits for its reply.
/// </summary>
internal sealed class SandboxProcess : IDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;
    private int _killed;

    private readonly string? _cgroup;

    private SandboxProcess(Process process, string? cgroup)
    {
        _process = process;
        _cgroup = cgroup;
        _input = process.StandardInput.BaseStream;
        _output = process.StandardOutput.BaseStream;
    }

    public int Evaluations { get; private set; }

    /// <summary>When it last answered (or started), on the system's monotonic clock.</summary>
    public long LastUsed { get; private set; } = Environment.TickCount64;

    public bool HasExited => _process.HasExited;

    public static async Task<SandboxProcess> StartAsync(long heapCeiling, SandboxCgroup? cgroup, TimeSpan startTimeout, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(DotnetHost(), [WorkerAssembly()])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_GCHeapHardLimit"] = "0x" + heapCeiling.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment[SandboxWorker.IdleVariable] = idleTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["DOTNET_GCgen0size"] = "0x1000000";
        info.Environment[MemoryCeiling.GrowthVariable] = (heapCeiling + (512L * 1024 * 1024)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var own = cgroup?.Create();
        if (own is not null)
        {
            info.Environment[CgroupMembership.Variable] = own;
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("The sandbox process did not start.");
        }
        catch
        {
            if (own is not null)
            {
                SandboxCgroup.Remove(own);
            }

            throw;
        }

        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var sandbox = new SandboxProcess(process, own);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(startTimeout);
            using var kill = timeout.Token.Register(sandbox.Kill);
            var ready = await SandboxProtocol.ReadFrameAsync(sandbox._output, CancellationToken.None).ConfigureAwait(false);
            if (ready is null || !ready.AsSpan().SequenceEqual(SandboxProtocol.Ready))
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException(timeout.IsCancellationRequested
                    ? $"The sandbox process ({WorkerAssembly()}) was not ready within {startTimeout.TotalSeconds} s (Sandbox:StartTimeout) and was ended; a machine this busy needs a longer StartTimeout."
                    : $"The sandbox process ({WorkerAssembly()}) ended before it was ready.");
            }

            return sandbox;
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    /// <summary>Sends a request and waits for its reply until <paramref name="deadline"/>.</summary>
    public async Task<SandboxOutcome> EvaluateAsync(byte[] request, TimeSpan deadline, CancellationToken cancellationToken)
    {
        Evaluations++;
        using var timer = new CancellationTokenSource(deadline);
        using var onTimer = timer.Token.Register(Kill);
        using var onCancel = cancellationToken.Register(Kill);
        byte[]? reply;
        try
        {
            await SandboxProtocol.WriteFrameAsync(_input, request, CancellationToken.None).ConfigureAwait(false);
            reply = await SandboxProtocol.ReadFrameAsync(_output, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
            reply = null;
        }

        if (reply is not null && Volatile.Read(ref _killed) == 0)
        {
            LastUsed = Environment.TickCount64;
            var (result, last) = SandboxProtocol.DecodeReply(reply);
            return new SandboxOutcome(result, last, false, false, null);
        }

        Kill();
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return new SandboxOutcome(null, true, timer.IsCancellationRequested, cancellationToken.IsCancellationRequested, _process.ExitCode);
    }

    public void Dispose()
    {
        Kill();
        if (_cgroup is null)
        {
            _process.Dispose();
        }
        else
        {
            _ = RemoveCgroupAfterExitAsync(_cgroup);
        }
    }

    /// <summary>A cgroup can be removed once its process has gone.</summary>
    private async Task RemoveCgroupAfterExitAsync(string cgroup)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Removal fails below while the process lingers; the kernel keeps the empty cgroup until then.
        }

        SandboxCgroup.Remove(cgroup);
        _process.Dispose();
    }

    private void Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) == 0)
        {
            try
            {
                _process.Kill();
            }
            catch (InvalidOperationException)
            {
                // It had ended already.
            }
        }
    }

    /// <summary>The worker assembly, copied next to this one by the project reference.</summary>
    private static string WorkerAssembly() => typeof(SandboxWorker).Assembly.Location;

    /// <summary>The dotnet host that runs this process's runtime: three folders up from the runtime's own.</summary>
    private static string DotnetHost()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var root = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, name);
        if (File.Exists(host))
        {
            return host;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } fromSdk && File.Exists(fromSdk) ? fromSdk : name;
    }
}
