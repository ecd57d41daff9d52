namespace AsyncFunctions.AspNetCore.Events;

/// <summary>Settings of the execution event streams; bound from <c>AsyncFunctions:Api</c>, beside <see cref="Http.ApiOptions"/>.</summary>
public sealed class EventStreamOptions
{
    public const string Section = "AsyncFunctions:Api";

    /// <summary>Most ids one <c>GET /api/executions/events</c> may name.</summary>
    public int MaxEventStreamIds { get; set; } = 100;

    /// <summary>How long one stream stays open; then it ends with an <c>end</c> event and the client reconnects.</summary>
    public int MaxEventStreamSeconds { get; set; } = 1800;

    /// <summary>Seconds of silence after which the stream sends a <c>: keep-alive</c> comment, so proxies keep it open.</summary>
    public int EventKeepAliveSeconds { get; set; } = 15;

    /// <summary>
    /// How often an open stream re-reads its unfinished executions from the results table, to see
    /// changes made on other nodes (changes made on this node arrive at once).
    /// </summary>
    public double EventPollSeconds { get; set; } = 2;
}
