using AsyncFunctions.FunctionStacks.Compiling;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>A function document that cannot be saved, with every problem and its JSON path.</summary>
public sealed class DefinitionRejectedException : Exception
{
    public DefinitionRejectedException(string name, IReadOnlyList<DocumentProblem> problems)
        : base($"The document of '{name}' has {problems.Count} problem(s): {string.Join("; ", problems)}")
    {
        Name = name;
        Problems = problems;
    }

    public DefinitionRejectedException()
        : this("", [])
    {
    }

    public DefinitionRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Name = "";
        Problems = [];
    }

    public string Name { get; }

    public IReadOnlyList<DocumentProblem> Problems { get; }
}
