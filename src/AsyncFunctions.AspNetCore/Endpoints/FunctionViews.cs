using System.Text.Json.Nodes;
using AsyncFunctions.Functions;

namespace AsyncFunctions.AspNetCore.Endpoints;

/// <summary>A function as the API shows it (<see cref="FunctionView"/>), from the catalog's descriptor.</summary>
internal static class FunctionViews
{
    public static FunctionView From(FunctionDescriptor function, JsonNode? definition = null) => new(
        function.Name,
        function.Description,
        function.Kind,
        function.Version,
        function.Inputs,
        function.Retry.MaxRetries,
        function.Timeout?.TotalSeconds,
        definition);
}
