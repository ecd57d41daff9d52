using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;

namespace AsyncFunctions.Server.Endpoints;

/// <summary>A function as the API shows it.</summary>
public sealed record FunctionView(string Name, string Description, string Kind, int? Version, IReadOnlyList<InputDeclaration> Inputs, int Retries, double? TimeoutSeconds)
{
    public static FunctionView From(FunctionDescriptor function) => new(
        function.Name,
        function.Description,
        function.Kind,
        function.Version,
        function.Inputs,
        function.Retry.MaxRetries,
        function.Timeout?.TotalSeconds);
}
