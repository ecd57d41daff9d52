using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AsyncFunctions.Storage.Tests.Fixtures;

/// <summary>
/// A Redis server for tests and benchmarks: the one named by an environment variable when it is
/// set, otherwise a throwaway redis-server (Debian's redis-server package) started here on a free
/// loopback port with AOF (<c>appendonly yes</c>, <c>appendfsync everysec</c>) in a temporary
/// folder that is deleted when it stops. Test classes share one per run (<see cref="GetAsync"/>)
/// and keep apart by key prefix. One source file, compiled into the server tests, the multi-node
/// tests and the benchmarks.
/// </summary>
public sealed class RedisTestServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "ASYNCFUNCTIONS_TEST_REDIS";

    private static readonly Lazy<Task<RedisTestServer>> Shared = new(StartSharedAsync);

    private readonly Process? _process;
    private readonly string? _folder;

    private RedisTestServer(string connectionString, string description, Process? process = null, string? folder = null)
    {
        ConnectionString = connectionString;
        Description = description;
        _process = process;
        _folder = folder;
    }

    /// <summary>StackExchange.Redis' connection string to the server, for example <c>127.0.0.1:6379</c>.</summary>
    public string ConnectionString { get; }

    /// <summary>Which server this is and how it runs, for reports.</summary>
    public string Description { get; }

    /// <summary>The server of the whole test run, named by <see cref="EnvironmentVariable"/> or started once; stopped when the process exits.</summary>
    public static Task<RedisTestServer> GetAsync() => Shared.Value;

    /// <summary>True when a server can be had: one is named, or redis-server is installed.</summary>
    public static bool IsAvailable =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable)) || FindBinary() is not null;

    /// <summary>The server named by <paramref name="environmentVariable"/>, or a new one stopped by <see cref="DisposeAsync"/>.</summary>
    public static async Task<RedisTestServer> StartAsync(string environmentVariable)
    {
        var given = Environment.GetEnvironmentVariable(environmentVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return new RedisTestServer(given, $"the server given in {environmentVariable}");
        }

        var binary = FindBinary() ?? throw new InvalidOperationException(
            $"No redis-server on PATH. Install Redis (apt-get install -y redis-server) or set {environmentVariable} to a connection string.");
        var folder = Path.Combine(Path.GetTempPath(), "af-redis-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        for (var attempt = 1; ; attempt++)
        {
            // redis-server cannot be told to bind a port the system picks, so a free port is
            // released before the server binds it: another process may take it in between, and
            // then the start fails and is tried again on another port.
            var port = FreePort();
            var process = StartProcess(binary, folder, port);
            try
            {
                await WaitForPortAsync(port, process, folder).ConfigureAwait(false);
                return new RedisTestServer(
                    $"127.0.0.1:{port}",
                    $"redis-server started in a temp folder (AOF on, appendfsync everysec)",
                    process,
                    folder);
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync().ConfigureAwait(false);
                }

                process.Dispose();
            }
        }
    }

    private static Process StartProcess(string binary, string folder, int port)
    {
        var start = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        foreach (var argument in new[]
        {
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--dir", folder, "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
            "--daemonize", "no", "--protected-mode", "no", "--logfile", Path.Combine(folder, "redis.log"),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Stops a server started by <see cref="StartAsync"/> and deletes its folder; a given server is left alone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static async Task<RedisTestServer> StartSharedAsync()
    {
        var server = await StartAsync(EnvironmentVariable).ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    private static async Task WaitForPortAsync(int port, Process process, string folder)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                var log = Path.Combine(folder, "redis.log");
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode}: {(File.Exists(log) ? await File.ReadAllTextAsync(log).ConfigureAwait(false) : "")}");
            }

            try
            {
                // A PING answered while our process runs: the listener is this redis-server, not
                // another process that took the port first.
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray()).ConfigureAwait(false);
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer).ConfigureAwait(false);
                if (System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal) && !process.HasExited)
                {
                    return;
                }

                await Task.Delay(50).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"redis-server did not listen on port {port} within 30 s.");
    }

    private static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
