using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>
/// Reads every <c>*.json</c> file of a folder (not its subfolders) as a function document, in
/// file-name order, and compiles each one. Two files that define the same name are both reported.
/// </summary>
public static class FunctionFolderLoader
{
    private static readonly JsonDocumentOptions ReadOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <param name="functionExists">Optional lookup for functions outside the folder; names in the folder always count.</param>
    public static IReadOnlyList<FolderDocument> Load(string folder, Func<string, bool>? functionExists = null)
    {
        var files = Directory.GetFiles(folder, "*.json", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();
        var documents = files.Select(Read).ToList();
        var names = documents
            .Select(d => d.Document is JsonObject o && JsonPaths.TryGetString(o["name"], out var n) ? n : null)
            .ToList();
        var inFolder = names.Where(n => n is not null).ToHashSet(StringComparer.Ordinal);
        Func<string, bool>? exists = functionExists is null ? null : name => inFolder.Contains(name) || functionExists(name);

        var result = new List<FolderDocument>();
        for (var i = 0; i < files.Count; i++)
        {
            var (document, parseProblem) = documents[i];
            if (parseProblem is not null)
            {
                result.Add(new FolderDocument(files[i], null, null, [parseProblem]));
                continue;
            }

            var compiled = FunctionDocumentCompiler.Compile(document, exists);
            var problems = compiled.Problems.ToList();
            if (names[i] is { } name && names.Count(n => n == name) > 1)
            {
                problems.Add(new DocumentProblem("$.name", $"the name '{name}' is also defined by another file of the folder"));
            }

            result.Add(new FolderDocument(files[i], document, problems.Count == 0 ? compiled.Function : null, problems));
        }

        return result;
    }

    private static (JsonNode? Document, DocumentProblem? Problem) Read(string file)
    {
        try
        {
            return (JsonNode.Parse(File.ReadAllText(file), documentOptions: ReadOptions), null);
        }
        catch (JsonException ex)
        {
            return (null, new DocumentProblem("$", $"the file is not valid JSON: {ex.Message}"));
        }
        catch (IOException ex)
        {
            return (null, new DocumentProblem("$", $"the file cannot be read: {ex.Message}"));
        }
    }
}
