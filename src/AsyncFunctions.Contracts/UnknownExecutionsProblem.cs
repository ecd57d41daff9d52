using System.ComponentModel;

namespace AsyncFunctions.Contracts;

[Description("Executions that do not exist, or that an invoker's key did not start.")]
public sealed class UnknownExecutionsProblem : Problem
{
    [Description("The ids that are unknown to the caller.")]
    public required IReadOnlyList<string> Ids { get; init; }
}
