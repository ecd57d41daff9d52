using StackExchange.Redis;

namespace AsyncFunctions.Redis;

/// <summary>The node's connection to the Redis of its jobs, owned by the container and closed with the host.</summary>
public sealed class RedisJobsConnection(ConnectionMultiplexer multiplexer) : IDisposable
{
    public ConnectionMultiplexer Multiplexer { get; } = multiplexer;

    public void Dispose() => Multiplexer.Dispose();
}
