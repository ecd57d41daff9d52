using System.Text.Json.Nodes;
using AsyncFunctions.Running;

namespace AsyncFunctions.Functions;

/// <summary>
/// The body of a function written in C#. Register it with
/// <c>services.AddAsyncFunctions(o => o.AddFunction&lt;T&gt;("name"))</c>; an instance is resolved
/// from the execution's DI scope for every run.
/// </summary>
public interface IAsyncFunction
{
    /// <summary>Runs the function and returns its output (any JSON value, or null).</summary>
    Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken);
}
