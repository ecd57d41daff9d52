using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.Functions;
using AsyncFunctions.Running;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>The body of a stored document that does not compile: every run fails with <c>stack.invalid</c> and the problems.</summary>
internal sealed class InvalidStackBody(string name, IReadOnlyList<DocumentProblem> problems) : IFunctionBody
{
    public Task<JsonNode?> InvokeAsync(FunctionContext context, CancellationToken cancellationToken) =>
        throw new FunctionException(
            StackErrorCodes.Invalid,
            $"The stored document of '{name}' does not compile: {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? "; ..." : "")}",
            new JsonObject
            {
                ["problems"] = new JsonArray(problems.Select(p => (JsonNode?)new JsonObject { ["path"] = p.Path, ["message"] = p.Message }).ToArray()),
            });
}
