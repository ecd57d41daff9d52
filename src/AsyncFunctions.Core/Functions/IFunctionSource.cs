namespace AsyncFunctions.Functions;

/// <summary>
/// One place functions come from: C# classes registered in DI, stored function stacks, and so on.
/// The first source that knows a name wins.
/// </summary>
public interface IFunctionSource
{
    ValueTask<FunctionDescriptor?> FindAsync(string name, int? version, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<FunctionDescriptor>> ListAsync(CancellationToken cancellationToken);
}
