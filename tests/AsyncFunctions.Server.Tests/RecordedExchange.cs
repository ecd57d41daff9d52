namespace AsyncFunctions.Server.Tests;

/// <summary>One request and its answer, as a client saw it.</summary>
public sealed record RecordedExchange(string Method, string Path, int Status, string? MediaType, string Body, IReadOnlyCollection<string> Headers)
{
    public override string ToString() => $"{Method} {Path} -> {Status} {MediaType}";
}
