using System.Globalization;
using AsyncFunctions.Storage.Tests.Fixtures;
using Npgsql;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// A database of its own and one API-only node, with Hangfire.PostgreSql's invisibility timeout
/// at five minutes: a dead node's jobs can then run again within the tests' time only through the
/// node takeover, not through Hangfire's own timeout. Node heartbeats keep their defaults (every
/// 2 s, dead after 10 s), so the figures measured here are those of a default deployment.
/// </summary>
public sealed class RecoveryClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(10);

    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["AsyncFunctions__Storage__PostgreSql__InvisibilityTimeout"] = "00:05:00",
        ["AsyncFunctions__Storage__PostgreSql__DistributedLockTimeout"] = "00:00:10",
    };

    private PostgreSqlTestServer? _server;

    public string ConnectionString { get; private set; } = "";

    public ServerNode Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgreSqlTestServer.GetAsync();
        ConnectionString = await _server.CreateDatabaseAsync("af_recovery");
        Api = await ServerNode.StartAsync("api", ConnectionString, workerCount: 0, Settings);
    }

    public Task<ServerNode> StartNodeAsync(string name, int workerCount, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>(Settings);
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return ServerNode.StartAsync(name, ConnectionString, workerCount, settings);
    }

    /// <summary>The ids of the jobs Processing on the Hangfire server <paramref name="serverId"/>.</summary>
    public async Task<IReadOnlyList<string>> ProcessingOnAsync(string serverId)
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

    /// <summary>When each state of the job was recorded (UTC), oldest first.</summary>
    public async Task<IReadOnlyList<(string Name, string? Reason, DateTime At)>> TimedHistoryAsync(string id)
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

    /// <summary>When each Processing state of the job was recorded (UTC), oldest first.</summary>
    public async Task<IReadOnlyList<DateTime>> ProcessingStartsAsync(string id)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT createdat FROM hangfire.state WHERE jobid = @id AND name = 'Processing' ORDER BY id", connection);
        command.Parameters.AddWithValue("id", long.Parse(id, CultureInfo.InvariantCulture));
        var starts = new List<DateTime>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            starts.Add(DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc));
        }

        return starts;
    }

    /// <summary>The job's states as Hangfire recorded them, oldest first: (name, reason).</summary>
    public async Task<IReadOnlyList<(string Name, string? Reason)>> HistoryAsync(string id)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT name, reason FROM hangfire.state WHERE jobid = @id ORDER BY id", connection);
        command.Parameters.AddWithValue("id", long.Parse(id, CultureInfo.InvariantCulture));
        var states = new List<(string, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            states.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return states;
    }

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

    public async Task DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        if (_server is not null && ConnectionString.Length > 0)
        {
            await _server.DropDatabaseAsync(ConnectionString);
        }
    }
}
