using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AsyncFunctions.Hosting.Tests;

/// <summary>
/// The shipped server as a user starts it: its build output, <c>dotnet AsyncFunctions.Server.dll
/// --urls http://127.0.0.1:PORT</c> on a free port other than 5080, in Development, without keys,
/// on the embedded SQLite default in a temporary working directory, with the example stacks of
/// the repository. Disposing kills the process and removes the directory.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _workingDirectory;

    private ServerProcess(Process process, string workingDirectory, string address)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        Address = address;
    }

    /// <summary>http://127.0.0.1:PORT, without a trailing slash, as the README's $BASE.</summary>
    public string Address { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the server on a free port. The example webhook's address is decided from the port the
    /// server is told before it binds (port 0 would leave the notification example unreachable), so
    /// a free port is released before the server binds it: when another process takes it in
    /// between, the server stops at once and is started again on another port.
    /// </summary>
    public static async Task<ServerProcess> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortAsync().ConfigureAwait(false);
            }
            catch (PortTakenException) when (attempt < 5)
            {
            }
        }
    }

    private static async Task<ServerProcess> StartOnFreePortAsync()
    {
        var dll = Path.Combine(Repository.ServerDirectory, "AsyncFunctions.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The server is not built at {dll}.", dll);
        }

        var port = FreePort();
        var workingDirectory = Directory.CreateTempSubdirectory("af-readme-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        // The server the README describes: none of this machine's own settings for it.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("AsyncFunctions__", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["AsyncFunctions__Stacks__Folder"] = Path.Combine(Repository.Root, "src", "AsyncFunctions.Server", "functions");
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillQuietly(process);
        var server = new ServerProcess(process, workingDirectory, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilLiveAsync(TimeSpan.FromSeconds(90));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilLiveAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                var output = Output;
                throw output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                    ? new PortTakenException(output)
                    : new InvalidOperationException($"The server stopped with exit code {_process.ExitCode}:\n{output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"{Address}/health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The server did not answer within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (port != 5080)
            {
                return port;
            }
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        KillQuietly(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary folder is cleaned later.
        }
    }
}

/// <summary>The server could not bind its port: another process took it after it was found free.</summary>
internal sealed class PortTakenException(string output) : Exception("The server's port was taken before it could bind it:\n" + output);
