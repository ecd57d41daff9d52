using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// One AsyncFunctions server as a real process, started from the server's build output on a free
/// loopback port with PostgreSQL storage. Disposing kills the whole process tree.
/// </summary>
public sealed class ServerNode : IAsyncDisposable
{
    private static readonly string ServerDirectory = typeof(ServerNode).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ServerDirectory").Value!;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerNode(string name, Process process)
    {
        Name = name;
        _process = process;
        ProcessId = process.Id;
    }

    public string Name { get; }

    /// <summary>The process id (kept after the process ends), part of the id of this node's Hangfire server (<c>host:pid:guid</c>) that the dashboard shows for each state a worker of it made.</summary>
    public int ProcessId { get; }

    /// <summary>The admin key every node is started with (a server outside Development needs one); configured by its hash.</summary>
    public const string AdminKey = "multi-node-admin-key-0123456789";

    /// <summary>Where the node listens: a port the server bound itself (port 0), read from its log, so no other process can take it between a look and the bind.</summary>
    public Uri Address { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>What the process wrote so far, for failure messages.</summary>
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

    /// <summary>Starts a node and waits until GET /health answers Healthy.</summary>
    /// <param name="workerCount">0 for an API-only node.</param>
    public static async Task<ServerNode> StartAsync(string name, string connectionString, int workerCount, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = Path.Combine(ServerDirectory, "AsyncFunctions.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The server is not built at {dll}.", dll);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["AsyncFunctions__Storage__Provider"] = "PostgreSql";
        start.Environment["ConnectionStrings__AsyncFunctions"] = connectionString;
        start.Environment["AsyncFunctions__Server__WorkerCount"] = workerCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["AsyncFunctions__Examples__Enabled"] = "true";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // "Now listening on: ..." tells the port the server bound.
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["AsyncFunctions__ApiKeys__0__Name"] = "multi-node-tests";
        start.Environment["AsyncFunctions__ApiKeys__0__Role"] = "admin";
        start.Environment["AsyncFunctions__ApiKeys__0__KeyHash"] =
            "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(AdminKey)));
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillQuietly(process);
        var node = new ServerNode(name, process);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await node.WaitUntilListeningAsync(TimeSpan.FromSeconds(90));
            await node.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>A JSON document this node answers with, for a GET of <paramref name="path"/>.</summary>
    public async Task<JsonNode> GetJsonAsync(string path) =>
        JsonNode.Parse(await Http.GetStringAsync(path))!;

    /// <summary>POST /api/executions/await on this node; asserts a success and returns the answer.</summary>
    public async Task<JsonNode> AwaitAsync(IEnumerable<string> ids, TimeSpan timeout)
    {
        var body = new JsonObject
        {
            ["ids"] = new JsonArray(ids.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()),
            ["timeoutSeconds"] = (int)timeout.TotalSeconds,
        };
        using var response = await Http.PostAsJsonAsync("/api/executions/await", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Polls the execution's record until it has <paramref name="status"/>.</summary>
    public async Task WaitForStatusAsync(string id, string status, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if ((await GetJsonAsync($"/api/executions/{id}"))["status"]!.GetValue<string>() == status)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{id} did not reach {status} within {timeout}.");
    }

    /// <summary>kill -STOP: the process stops where it is, as in a long GC pause or a frozen VM, until <see cref="Resume"/>.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>kill -CONT: a paused process goes on.</summary>
    public void Resume() => Signal("CONT");

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {ProcessId} exited with {kill.ExitCode}.");
        }
    }

    /// <summary>kill -9: the process ends at once, without shutting anything down.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {

            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Http?.Dispose();
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Leaves no server behind when the test host ends before the tests dispose their nodes.</summary>
    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (SystemException)
        {
            // Already gone or already disposed.
        }
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!_listening.Task.IsCompleted)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Node {Name} exited with {_process.ExitCode} before it listened:\n{Output}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Node {Name} did not say where it listens within {timeout}:\n{Output}");
            }

            await Task.WhenAny(_listening.Task, Task.Delay(100));
        }

        Address = await _listening.Task;
        Http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(120) };
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        using var probe = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Node {Name} exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await probe.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Node {Name} was not healthy within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        const string Listening = "Now listening on: ";
        var at = line.IndexOf(Listening, StringComparison.Ordinal);
        if (at >= 0 && Uri.TryCreate(line[(at + Listening.Length)..].Trim() + "/", UriKind.Absolute, out var address))
        {
            _listening.TrySetResult(address);
        }
    }
}
