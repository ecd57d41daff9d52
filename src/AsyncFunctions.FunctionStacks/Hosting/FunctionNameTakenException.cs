namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>The name belongs to a C# function registered in code; stacks cannot replace or delete it.</summary>
public sealed class FunctionNameTakenException : Exception
{
    public FunctionNameTakenException(string name)
        : base($"'{name}' is a C# function registered in code; a function stack cannot replace or delete it. Choose another name.")
    {
        Name = name;
    }

    public FunctionNameTakenException()
        : this("")
    {
    }

    public FunctionNameTakenException(string message, Exception innerException)
        : base(message, innerException)
    {
        Name = "";
    }

    public string Name { get; }
}
