namespace AsyncFunctions.AspNetCore.Access;

/// <summary>The configured API keys: the list at <c>AsyncFunctions:ApiKeys</c>.</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "AsyncFunctions:ApiKeys";

    /// <summary>The longest key name: the results table keeps up to 200 characters of it.</summary>
    public const int MaxNameLength = 200;

    public List<ApiKeyEntry> Keys { get; } = [];
}
