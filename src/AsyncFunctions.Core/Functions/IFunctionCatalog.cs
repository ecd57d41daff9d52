namespace AsyncFunctions.Functions;

/// <summary>Looks functions up by name across every registered <see cref="IFunctionSource"/>.</summary>
public interface IFunctionCatalog
{
    ValueTask<FunctionDescriptor?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Finds the function as it was at <paramref name="version"/>; C# functions ignore the version.</summary>
    ValueTask<FunctionDescriptor?> FindAsync(string name, int? version, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<FunctionDescriptor>> ListAsync(CancellationToken cancellationToken = default);
}
