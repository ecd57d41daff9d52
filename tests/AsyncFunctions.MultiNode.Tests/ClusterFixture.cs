using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// A database of its own on the test PostgreSQL server and one API-only node (WorkerCount 0)
/// that every test talks to; the tests start and kill worker nodes themselves.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
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

    private PostgreSqlTestServer? _server;

    public string ConnectionString { get; private set; } = "";

    public ServerNode Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgreSqlTestServer.GetAsync();
        ConnectionString = await _server.CreateDatabaseAsync("af_cluster");
        Api = await ServerNode.StartAsync("api", ConnectionString, workerCount: 0, Settings);
    }

    public Task<ServerNode> StartWorkerAsync(string name) => StartNodeAsync(name, workerCount: 4);

    public Task<ServerNode> StartNodeAsync(string name, int workerCount, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>(Settings);
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return ServerNode.StartAsync(name, ConnectionString, workerCount, settings);
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
