using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.Fixtures;

/// <summary>
/// One PostgreSQL server for the whole test run: the one named by the environment variable
/// <see cref="EnvironmentVariable"/> when set, otherwise a throwaway server started here from
/// the PostgreSQL binaries (initdb, pg_ctl) on PATH or under /usr/lib/postgresql/&lt;version&gt;/bin,
/// on a free loopback port, in a temporary folder that is deleted when the run ends. Each test
/// class creates its own database on it, so classes run in parallel.
/// </summary>
public sealed class PostgreSqlTestServer
{
    public const string EnvironmentVariable = "ASYNCFUNCTIONS_TEST_POSTGRES";

    private static readonly Lazy<Task<PostgreSqlTestServer>> Shared = new(StartAsync);

    private readonly string? _folder;
    private readonly string? _pgCtl;
    private readonly bool _asPostgresUser;

    private PostgreSqlTestServer(string adminConnectionString, string? folder = null, string? pgCtl = null, bool asPostgresUser = false)
    {
        AdminConnectionString = adminConnectionString;
        _folder = folder;
        _pgCtl = pgCtl;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>A connection string to the server's maintenance database.</summary>
    public string AdminConnectionString { get; }

    public static Task<PostgreSqlTestServer> GetAsync() => Shared.Value;

    /// <summary>Creates a database of its own for a test class and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ToString();
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<PostgreSqlTestServer> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return new PostgreSqlTestServer(given);
        }

        var bin = FindBinaries() ?? throw new InvalidOperationException(
            $"No PostgreSQL server binaries (initdb, pg_ctl) on PATH or under /usr/lib/postgresql/<version>/bin. " +
            $"Install PostgreSQL (apt-get install -y postgresql) or set {EnvironmentVariable} to a connection string.");
        var asPostgresUser = Environment.UserName == "root";
        // The postgres account must be able to reach the folder; a root-only TMPDIR would not do.
        var parent = asPostgresUser && Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();
        var folder = Path.Combine(parent, "af-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        if (asPostgresUser)
        {
            // initdb refuses to run as root; the server runs as the postgres account, which must own its folder.
            await RunAsync("chown", ["postgres:postgres", folder], asPostgresUser: false);
        }

        var port = FreePort();
        var data = Path.Combine(folder, "data");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], asPostgresUser);
        var pgCtl = Path.Combine(bin, "pg_ctl");
        var options = $"-k {folder} -c listen_addresses=127.0.0.1 -p {port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await RunAsync(pgCtl, ["-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o", options, "start"], asPostgresUser);

        var server = new PostgreSqlTestServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres", folder, pgCtl, asPostgresUser);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    /// <summary>
    /// Stops the server and deletes its folder from a detached shell: the test host may be ended
    /// moments after the exit handlers start, and the shell outlives it.
    /// </summary>
    private void Stop()
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

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgresUser)
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
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}
