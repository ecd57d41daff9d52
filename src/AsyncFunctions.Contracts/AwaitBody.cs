using System.ComponentModel;

namespace AsyncFunctions.Contracts;

[Description("Waits until every execution named is finished, or the timeout passes.")]
public sealed record AwaitBody
{
    [Description("The ids of the executions to wait for (1 to AsyncFunctions:Await:MaxIds, 100 by default).")]
    public required IReadOnlyList<string> Ids { get; init; }

    [Description("How long to wait at most, in seconds (0 to AsyncFunctions:Await:MaxTimeout); 30 (or that maximum if lower) when absent.")]
    public double? TimeoutSeconds { get; init; }
}
