namespace AsyncFunctions.Inputs;

/// <summary>Thrown when an execution's input breaks its function's declarations.</summary>
public sealed class InputValidationException : Exception
{
    public InputValidationException(IReadOnlyList<InputProblem> problems)
        : base("The input is not valid: " + string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}")))
    {
        Problems = problems;
    }

    public InputValidationException()
        : this([])
    {
    }

    public InputValidationException(string message)
        : base(message)
    {
        Problems = [];
    }

    public InputValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    public IReadOnlyList<InputProblem> Problems { get; }
}
