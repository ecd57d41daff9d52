namespace AsyncFunctions.Hosting.Tests;

/// <summary>
/// One shipped server for all the pages' run blocks, started when the first page needs it (a
/// skipped test starts nothing) and stopped after the last.
/// </summary>
public sealed class ReadmeServer : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ServerProcess? _server;

    public string Output => _server?.Output ?? "";

    internal async Task<ServerProcess> StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _server ??= await ServerProcess.StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _gate.Dispose();
    }
}
