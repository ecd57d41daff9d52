namespace AsyncFunctions.FunctionStacks.Model;

internal sealed record CallStep : Step
{
    public required ValueTemplate Function { get; init; }

    public ValueTemplate? Input { get; init; }

    public bool Async { get; init; }
}

internal sealed record AwaitStep : Step
{
    public required ValueTemplate Ids { get; init; }

    public ValueTemplate? TimeoutSeconds { get; init; }

    public bool Settled { get; init; }
}

internal sealed record RequestStep : Step
{
    /// <summary>The HTTP methods a request may use, upper case; the compiler checks literals and the interpreter computed values against them.</summary>
    public static readonly IReadOnlyList<string> Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public required ValueTemplate Url { get; init; }

    public ValueTemplate? Method { get; init; }

    public ValueTemplate? Headers { get; init; }

    public ValueTemplate? Params { get; init; }

    public ValueTemplate? Json { get; init; }

    public ValueTemplate? Text { get; init; }

    public ValueTemplate? TimeoutSeconds { get; init; }
}

internal sealed record LambdaStep : Step
{
    public required CompiledScript Code { get; init; }
}

internal sealed record QueryStep : Step
{
    public required string Sql { get; init; }

    public required string Connection { get; init; }

    public ValueTemplate? Parameters { get; init; }

    public ValueTemplate? TimeoutSeconds { get; init; }
}
