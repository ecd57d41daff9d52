namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>A database connection of query steps, from configuration.</summary>
public sealed class StackConnectionOptions
{
    /// <summary>"sqlite" is built in; other drivers are registered in code through <see cref="FunctionStacksOptions.ConnectionFactories"/>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Query steps open it without pooling, whatever it says, so no state of one execution stays on a handle for the next.</summary>
    public string ConnectionString { get; set; } = "";
}
