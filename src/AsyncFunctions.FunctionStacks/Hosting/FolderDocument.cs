using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>One file a <see cref="FunctionFolderLoader"/> read: its document and compiled function, or its problems.</summary>
public sealed record FolderDocument(string File, JsonNode? Document, CompiledFunction? Function, IReadOnlyList<DocumentProblem> Problems)
{
    public bool Succeeded => Function is not null && Problems.Count == 0;
}
