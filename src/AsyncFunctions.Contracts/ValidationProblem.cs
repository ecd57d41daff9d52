using System.ComponentModel;

namespace AsyncFunctions.Contracts;

[Description("A request that is not valid. errors names each field, parameter or JSON path at fault (absent when a parameter could not be read at all); problems lists a rejected function document's problems in document order.")]
public sealed class ValidationProblem : Problem
{
    [Description("The messages for each field, parameter or JSON path (such as \"limit\", \"ids[0]\" or \"$.stack[0].call\").")]
    public IDictionary<string, string[]>? Errors { get; init; }

    [Description("For a rejected function document: every problem, in document order.")]
    public IReadOnlyList<DocumentProblemView>? Problems { get; init; }
}
