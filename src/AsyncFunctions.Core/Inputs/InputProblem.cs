namespace AsyncFunctions.Inputs;

/// <summary>One thing wrong with an input, with the JSON path of the value (for example <c>input.items[2]</c>).</summary>
public sealed record InputProblem(string Path, string Message);
