namespace AsyncFunctions.Client;

/// <summary>Where the server is and how to call it (<c>services.AddAsyncFunctionsClient(o => ...)</c>).</summary>
public sealed class AsyncFunctionsClientOptions
{
    /// <summary>The server's address, such as <c>http://localhost:5080</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>An API key of the server's AsyncFunctions:ApiKeys, sent as <c>Authorization: Bearer</c>; none when null.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How many times a request answered 429 is sent again, each after the answer's <c>Retry-After</c>.</summary>
    public int MaxRateLimitRetries { get; set; } = 3;

}
