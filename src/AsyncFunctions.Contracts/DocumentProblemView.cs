using System.ComponentModel;

namespace AsyncFunctions.Contracts;

[Description("One problem of a function document: where (a JSON path) and what.")]
public sealed record DocumentProblemView(
    [property: Description("The JSON path of the problem, such as $.stack[0].call.")] string Path,
    string Message);
