using System.Text.Json.Nodes;
using AsyncFunctions.FlowControl;

namespace AsyncFunctions.FunctionStacks.Compiling;

internal sealed partial class DocumentCompiler
{
    /// <summary>The document's <c>queue</c>: a queue name (<see cref="QueueName"/>), <c>default</c> when absent.</summary>
    private string ReadQueue(JsonObject document)
    {
        if (!document.TryGetPropertyValue("queue", out var node) || node is null)
        {
            return FunctionFlow.DefaultQueue;
        }

        if (!JsonPaths.TryGetString(node, out var queue))
        {
            Problem("$.queue", $"must be a queue name (a text), not {JsonPaths.Describe(node)}");
            return FunctionFlow.DefaultQueue;
        }

        if (QueueName.Problem(queue) is { } problem)
        {
            Problem("$.queue", problem);
            return FunctionFlow.DefaultQueue;
        }

        return queue;
    }
}
