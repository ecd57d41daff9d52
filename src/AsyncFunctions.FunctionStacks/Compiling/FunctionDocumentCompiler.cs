using System.Text.Json.Nodes;

namespace AsyncFunctions.FunctionStacks.Compiling;

/// <summary>
/// Validates a function document and compiles it once: structure, step kinds, fields,
/// expression syntax, variables read before they are created, and (with a lookup) the names of
/// called functions. Every problem is reported with its JSON path.
/// </summary>
public static class FunctionDocumentCompiler
{
    /// <param name="functionExists">Optional lookup for the names that "call" steps use literally.</param>
    public static CompileResult Compile(JsonNode? document, Func<string, bool>? functionExists = null) =>
        new DocumentCompiler(functionExists).Compile(document);

    /// <summary>
    /// Compiles with an asynchronous lookup (for example over the function catalog): the names
    /// that call steps use literally are looked up first, once each.
    /// </summary>
    public static async Task<CompileResult> CompileAsync(JsonNode? document, Func<string, CancellationToken, ValueTask<bool>> functionExists, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(functionExists);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in CalledNames(document).Distinct(StringComparer.Ordinal))
        {
            if (await functionExists(name, cancellationToken).ConfigureAwait(false))
            {
                known.Add(name);
            }
        }

        return Compile(document, known.Contains);
    }

    /// <summary>Parses JSON text first; a syntax error is reported as a problem at "$".</summary>
    public static CompileResult Compile(string json, Func<string, bool>? functionExists = null)
    {
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(json, documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (System.Text.Json.JsonException ex)
        {
            return new CompileResult(null, [new DocumentProblem("$", $"the document is not valid JSON: {ex.Message}")]);
        }

        return Compile(document, functionExists);
    }

    private static IEnumerable<string> CalledNames(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (JsonPaths.TryGetString(obj["call"], out var name) && !name.StartsWith('='))
                {
                    yield return name;
                }

                foreach (var (_, child) in obj)
                {
                    foreach (var found in CalledNames(child))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    foreach (var found in CalledNames(child))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }
}
