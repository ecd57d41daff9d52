using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace AsyncFunctions.Benchmarks.Storages;

/// <summary>
/// The PostgreSQL server of a run: the one in <see cref="StorageCatalog.PostgresVariable"/>, or a
/// throw-away one started like a test fixture would (initdb and pg_ctl into a temp folder, on a
/// free loopback port, as the postgres account when running as root) with the server's default
/// durability (fsync and synchronous_commit on), stopped and deleted at the end.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly string? _bin;
    private readonly bool _asPostgres;

    private PostgresServer(string adminConnectionString, string description, string? folder = null, string? bin = null, bool asPostgres = false)
    {
        AdminConnectionString = adminConnectionString;
        Description = description;
        _folder = folder;
        _bin = bin;
        _asPostgres = asPostgres;
    }

    public string AdminConnectionString { get; }

    public string Description { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable(StorageCatalog.PostgresVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return new PostgresServer(given, $"the server given in {StorageCatalog.PostgresVariable}");
        }

        var bin = FindBinaries() ?? throw new InvalidOperationException(
            $"No PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql/<version>/bin or on PATH; install PostgreSQL or set {StorageCatalog.PostgresVariable}.");
        var asPostgres = Environment.UserName == "root";
        var folder = Path.Combine(Path.GetTempPath(), "asyncfunctions-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        if (asPostgres)
        {
            await RunAsync("chown", ["postgres:postgres", folder], asPostgres: false).ConfigureAwait(false);
        }

        var port = FreePort();
        var data = Path.Combine(folder, "data");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"], asPostgres).ConfigureAwait(false);
        var options = $"-k {folder} -c listen_addresses=127.0.0.1 -p {port} -c max_connections=300";
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o", options, "start"], asPostgres).ConfigureAwait(false);
        var version = Path.GetFileName(Path.GetDirectoryName(bin));
        return new PostgresServer(
            $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres",
            $"PostgreSQL {version} started by the benchmark in a temp folder (server defaults: fsync and synchronous_commit on; max_connections 300)",
            folder,
            bin,
            asPostgres);
    }

    public async Task<string> CreateDatabaseAsync()
    {
        var name = "afbench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync($"CREATE DATABASE \"{name}\"").ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, MaxPoolSize = 100 }.ToString();
    }

    public Task DropDatabaseAsync(string name) => ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");

    /// <summary>Committed transactions of one database so far (pg_stat_database.xact_commit).</summary>
    public async Task<long> CommitsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", database);
        return (long)(await command.ExecuteScalarAsync().ConfigureAwait(false) ?? 0L);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_folder is null || _bin is null)
        {
            return;
        }

        try
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "stop"], _asPostgres).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static string? FindBinaries()
    {
        const string debian = "/usr/lib/postgresql";
        var installed = Directory.Exists(debian)
            ? Directory.GetDirectories(debian)
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(dir => File.Exists(Path.Combine(dir, "initdb")))
                .OrderByDescending(dir => int.TryParse(Path.GetFileName(Path.GetDirectoryName(dir)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return installed ?? (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
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
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited with {process.ExitCode}: {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }
    }
}
