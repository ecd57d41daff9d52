using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.Fixtures;

/// <summary>
/// A PostgreSQL server for tests and benchmarks: the one named by an environment variable when it
/// is set, otherwise a throwaway server started here from the PostgreSQL binaries (initdb, pg_ctl)
/// on PATH or under /usr/lib/postgresql/&lt;version&gt;/bin, on a free loopback port, in a temporary
/// folder that is deleted when it stops. The test projects share one per run (<see cref="GetAsync"/>),
/// on which each test class creates its own database, so classes run in parallel. The benchmarks
/// start their own (<see cref="StartAsync"/>) with the server's default durability.
/// One source file, compiled into the storage tests, the multi-node tests and the benchmarks.
/// </summary>
public sealed class PostgreSqlTestServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "ASYNCFUNCTIONS_TEST_POSTGRES";

    private static readonly Lazy<Task<PostgreSqlTestServer>> Shared = new(StartSharedAsync);

    private readonly string? _folder;
    private readonly string? _pgCtl;
    private readonly bool _asPostgresUser;
    private bool _stopped;

    private PostgreSqlTestServer(string adminConnectionString, string description, string? folder = null, string? pgCtl = null, bool asPostgresUser = false)
    {
        AdminConnectionString = adminConnectionString;
        Description = description;
        _folder = folder;
        _pgCtl = pgCtl;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>A connection string to the server's maintenance database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The server's log file when it was started here; null for a given server.</summary>
    public string? LogPath => _folder is null ? null : Path.Combine(_folder, "server.log");

    /// <summary>Which server this is and how it runs, for reports.</summary>
    public string Description { get; }

    /// <summary>The server of the whole test run, named by <see cref="EnvironmentVariable"/> or started once; stopped when the process exits.</summary>
    public static Task<PostgreSqlTestServer> GetAsync() => Shared.Value;

    /// <summary>
    /// The server named by <paramref name="environmentVariable"/>, or a new one started from the
    /// binaries and stopped by <see cref="DisposeAsync"/>. A <paramref name="durable"/> server keeps
    /// PostgreSQL's defaults (fsync, synchronous_commit and full_page_writes on); otherwise they are
    /// off, which is faster and fine for data thrown away. It accepts <paramref name="maxConnections"/>
    /// connections (PostgreSQL's default is 100).
    /// </summary>
    public static async Task<PostgreSqlTestServer> StartAsync(string environmentVariable, bool durable, int maxConnections = 300)
    {
        var given = Environment.GetEnvironmentVariable(environmentVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return new PostgreSqlTestServer(given, $"the server given in {environmentVariable}");
        }

        var bin = FindBinaries() ?? throw new InvalidOperationException(
            $"No PostgreSQL server binaries (initdb, pg_ctl) on PATH or under /usr/lib/postgresql/<version>/bin. " +
            $"Install PostgreSQL (apt-get install -y postgresql) or set {environmentVariable} to a connection string.");
        var asPostgresUser = Environment.UserName == "root";
        // The postgres account must be able to reach the folder; a root-only TMPDIR would not do.
        var parent = asPostgresUser && Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();
        var folder = Path.Combine(parent, "af-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        if (asPostgresUser)
        {
            // initdb refuses to run as root; the server runs as the postgres account, which must own its folder.
            await RunAsync("chown", ["postgres:postgres", folder], asPostgresUser: false).ConfigureAwait(false);
        }

        var data = Path.Combine(folder, "data");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], asPostgresUser).ConfigureAwait(false);
        var pgCtl = Path.Combine(bin, "pg_ctl");
        var settings = durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        int port;
        for (var attempt = 1; ; attempt++)
        {
            // PostgreSQL cannot bind a port the system picks, so a free port is released before the
            // server binds it: another process may take it in between, and then the start fails
            // and is tried again on another port.
            port = FreePort();
            var options = $"-k {folder} -c listen_addresses=127.0.0.1 -p {port}{settings} -c max_connections={maxConnections}";
            try
            {
                await RunAsync(pgCtl, ["-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o", options, "start"], asPostgresUser).ConfigureAwait(false);
                break;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
            }
        }

        var version = (await RunAsync(pgCtl, ["--version"], asPostgresUser: false).ConfigureAwait(false)).Split(") ", 2)[^1].Split(' ')[0].Trim();
        var durability = durable ? "server defaults: fsync and synchronous_commit on" : "fsync, synchronous_commit and full_page_writes off";
        return new PostgreSqlTestServer(
            $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres",
            $"PostgreSQL {version} started in a temp folder ({durability}; max_connections {maxConnections})",
            folder,
            pgCtl,
            asPostgresUser);
    }

    /// <summary>Creates a database of its own (for a test class, a benchmark host) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        var connection = new NpgsqlConnection(AdminConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ToString();
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        var connection = new NpgsqlConnection(AdminConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops a server started by <see cref="StartAsync"/> at once, keeping its folder (<see cref="DisposeAsync"/> still deletes it).</summary>
    public async Task StopAsync()
    {
        if (_folder is not null && _pgCtl is not null)
        {
            await RunAsync(_pgCtl, ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"], _asPostgresUser).ConfigureAwait(false);
            _stopped = true;
        }
    }

    /// <summary>Stops a server started by <see cref="StartAsync"/> and deletes its folder; a given server is left alone.</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_folder is null || _pgCtl is null)
        {
            return;
        }

        try
        {
            if (!_stopped)
            {
                await RunAsync(_pgCtl, ["-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "stop"], _asPostgresUser).ConfigureAwait(false);
            }
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static async Task<PostgreSqlTestServer> StartSharedAsync()
    {
        var server = await StartAsync(EnvironmentVariable, durable: false).ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopDetached();
        return server;
    }

    /// <summary>
    /// Stops the server and deletes its folder from a detached shell: the test host may be ended
    /// moments after the exit handlers start, and the shell outlives it.
    /// </summary>
    private void StopDetached()
    {
        if (_folder is null || _pgCtl is null)
        {
            return;
        }

        var stop = $"{(_asPostgresUser ? "runuser -u postgres -- " : "")}'{_pgCtl}' -D '{Path.Combine(_folder, "data")}' -m immediate -w stop >/dev/null 2>&1; rm -rf '{_folder}'";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var part in new[] { "sh", "-c", stop })
        {
            start.ArgumentList.Add(part);
        }

        Process.Start(start)?.Dispose();
    }

    private static string? FindBinaries()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
        if (onPath is not null)
        {
            return onPath;
        }

        const string debian = "/usr/lib/postgresql";
        return Directory.Exists(debian)
            ? Directory.GetDirectories(debian)
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(dir => File.Exists(Path.Combine(dir, "initdb")))
                .OrderByDescending(dir => int.TryParse(Path.GetFileName(Path.GetDirectoryName(dir)), out var version) ? version : 0)
                .FirstOrDefault()
            : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a program to its end and returns what it wrote; throws when it fails.</summary>
    private static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgresUser)
    {
        var start = new ProcessStartInfo(asPostgresUser ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgresUser)
        {
            foreach (var part in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(part);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }

        return await output.ConfigureAwait(false);
    }
}
