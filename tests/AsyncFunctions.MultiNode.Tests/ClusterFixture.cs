using System.Globalization;
using AsyncFunctions.Storage.Tests.Fixtures;
using Npgsql;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// A database of its own on the test PostgreSQL server and one API-only node (WorkerCount 0)
/// that every test talks to; the tests start and kill worker nodes themselves. The subclasses
/// differ in their settings (<see cref="RecoveryClusterFixture"/>) or in where the jobs live
/// (<see cref="RedisClusterFixture"/>), and answer the same questions about Hangfire's jobs.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    /// <summary>
    /// A crashed worker's job becomes visible again after the invisibility timeout, and a lock it
    /// held is taken over after the lock timeout; 5 s and 10 s keep the crash tests short (the
    /// running worker renews its jobs every second).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["AsyncFunctions__Storage__PostgreSql__InvisibilityTimeout"] = "00:00:05",
        ["AsyncFunctions__Storage__PostgreSql__DistributedLockTimeout"] = "00:00:10",
    };

    private readonly string _database;
    private PostgreSqlTestServer? _server;

    public ClusterFixture()
        : this("af_cluster", Settings)
    {
    }

    protected ClusterFixture(string database, IReadOnlyDictionary<string, string> settings)
    {
        _database = database;
        NodeSettings = settings;
    }

    /// <summary>The settings every node of this cluster starts with.</summary>
    public IReadOnlyDictionary<string, string> NodeSettings { get; protected set; }

    /// <summary>The results database (and, unless the jobs are elsewhere, Hangfire's).</summary>
    public string ConnectionString { get; private set; } = "";

    public ServerNode Api { get; private set; } = null!;

    /// <summary>Node heartbeats' defaults (every 2 s, dead after 10 s) unless the settings change them.</summary>
    public virtual TimeSpan NodeTimeout => TimeSpan.FromSeconds(10);

    public async Task InitializeAsync()
    {
        _server = await PostgreSqlTestServer.GetAsync();
        ConnectionString = await _server.CreateDatabaseAsync(_database);
        await PrepareJobStorageAsync();
        Api = await ServerNode.StartAsync("api", ConnectionString, workerCount: 0, NodeSettings);
    }

    /// <summary>Readies a job storage outside the results database and adds its settings.</summary>
    protected virtual Task PrepareJobStorageAsync() => Task.CompletedTask;

    public Task<ServerNode> StartWorkerAsync(string name) => StartNodeAsync(name, workerCount: 4);

    public Task<ServerNode> StartNodeAsync(string name, int workerCount, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>(NodeSettings);
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return ServerNode.StartAsync(name, ConnectionString, workerCount, settings);
    }

    /// <summary>The ids of the jobs Processing on the Hangfire server <paramref name="serverId"/>.</summary>
    public virtual async Task<IReadOnlyList<string>> ProcessingOnAsync(string serverId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT j.id FROM hangfire.job j JOIN hangfire.state s ON s.id = j.stateid WHERE j.statename = 'Processing' AND s.data::jsonb ->> 'ServerId' = @server",
            connection);
        command.Parameters.AddWithValue("server", serverId);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0).ToString(CultureInfo.InvariantCulture));
        }

        return ids;
    }

    /// <summary>The job's states as Hangfire recorded them, with when (UTC), oldest first.</summary>
    public virtual async Task<IReadOnlyList<(string Name, string? Reason, DateTime At)>> TimedHistoryAsync(string id)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT name, reason, createdat FROM hangfire.state WHERE jobid = @id ORDER BY id", connection);
        command.Parameters.AddWithValue("id", long.Parse(id, CultureInfo.InvariantCulture));
        var states = new List<(string, string?, DateTime)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            states.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc)));
        }

        return states;
    }

    /// <summary>When admission handed the job its slots (its Admitted state's GrantedAt, UTC); null when it never waited.</summary>
    public async Task<DateTime?> GrantedAtAsync(string id)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT data::jsonb ->> 'GrantedAt' FROM hangfire.state WHERE jobid = @id AND reason LIKE 'Admitted%' ORDER BY id DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("id", long.Parse(id, CultureInfo.InvariantCulture));
        return await command.ExecuteScalarAsync() is string at
            ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(at, CultureInfo.InvariantCulture)).UtcDateTime // Hangfire's serialized time
            : null;
    }

    /// <summary>How many fetched (claimed) entries of the job the job storage's queue holds.</summary>
    public virtual async Task<int> FetchedEntriesAsync(string id)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM hangfire.jobqueue WHERE jobid = @id AND fetchedat IS NOT NULL", connection);
        command.Parameters.AddWithValue("id", long.Parse(id, CultureInfo.InvariantCulture));
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>When each Processing state of the job was recorded (UTC), oldest first.</summary>
    public async Task<IReadOnlyList<DateTime>> ProcessingStartsAsync(string id) =>
        (await TimedHistoryAsync(id)).Where(s => s.Name == "Processing").Select(s => s.At).ToList();

    /// <summary>The job's states as Hangfire recorded them, oldest first: (name, reason).</summary>
    public async Task<IReadOnlyList<(string Name, string? Reason)>> HistoryAsync(string id) =>
        (await TimedHistoryAsync(id)).Select(s => (s.Name, s.Reason)).ToList();

    /// <summary>The Hangfire server id the node's heartbeat records (its node id holds the process id).</summary>
    public async Task<string> ServerIdAsync(ServerNode node)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        for (var i = 0; i < 200; i++)
        {
            await using var command = new NpgsqlCommand("SELECT server_id FROM af_nodes WHERE node_id LIKE @pattern AND server_id IS NOT NULL", connection);
            command.Parameters.AddWithValue("pattern", $"%:{node.ProcessId}:%");
            if (await command.ExecuteScalarAsync() is string server)
            {
                return server;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Node {node.Name} recorded no heartbeat with a server id.");
    }

    /// <summary>Whether a takeover of the node is recorded.</summary>
    public async Task<bool> WasTakenOverAsync(ServerNode node)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM af_nodes WHERE node_id LIKE @pattern AND taken_over_at IS NOT NULL", connection);
        command.Parameters.AddWithValue("pattern", $"%:{node.ProcessId}:%");
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    /// <summary>When the takeover of the node was claimed (UTC), or null while it is not.</summary>
    public async Task<DateTime?> TakenOverAtAsync(ServerNode node)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT MAX(taken_over_at) FROM af_nodes WHERE node_id LIKE @pattern", connection);
        command.Parameters.AddWithValue("pattern", $"%:{node.ProcessId}:%");
        return await command.ExecuteScalarAsync() is DateTime at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null;
    }

    /// <summary>Lets go of what <see cref="PrepareJobStorageAsync"/> opened.</summary>
    protected virtual ValueTask DisposeJobStorageAsync() => ValueTask.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        await DisposeJobStorageAsync();

        if (_server is not null && ConnectionString.Length > 0)
        {
            await _server.DropDatabaseAsync(ConnectionString);
        }
    }
}
