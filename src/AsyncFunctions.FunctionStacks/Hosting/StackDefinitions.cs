using System.Text.Json.Nodes;
using AsyncFunctions.Definitions;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>
/// Saves and deletes function documents: each is compiled first (every problem reported with its
/// JSON path), C# function names are refused, and an unchanged document keeps its version. A
/// changed one is announced to this node's <see cref="IDefinitionSaveObserver"/>s.
/// </summary>
public sealed class StackDefinitions(
    IFunctionDefinitionStore store,
    IFunctionCatalog catalog,
    IEnumerable<IFunctionSource> sources,
    IEnumerable<IDefinitionSaveObserver> observers)
{
    private readonly IFunctionSource[] _codeSources = sources.OfType<CodeFunctionSource>().ToArray<IFunctionSource>();
    private readonly IDefinitionSaveObserver[] _observers = observers.ToArray();

    /// <summary>
    /// Compiles and saves <paramref name="document"/> as <paramref name="name"/>. A document without
    /// a name takes <paramref name="name"/>; one with another name is refused.
    /// </summary>
    /// <param name="alsoKnown">Names that count as existing for call steps (for example the other files of a folder).</param>
    public async Task<SavedDefinition> SaveAsync(string name, JsonNode? document, Func<string, bool>? alsoKnown = null, CancellationToken cancellationToken = default)
    {
        if (await IsCodeFunctionAsync(name, cancellationToken).ConfigureAwait(false))
        {
            throw new FunctionNameTakenException(name);
        }

        // "name": null, as generated clients send an unset optional field, counts as absent.
        if (document is JsonObject obj && (!obj.TryGetPropertyValue("name", out var given) || given is null))
        {
            document = WithName(obj, name);
        }

        var result = await FunctionDocumentCompiler.CompileAsync(
            document,
            async (called, ct) => called == name || alsoKnown?.Invoke(called) == true || await catalog.FindAsync(called, ct).ConfigureAwait(false) is not null,
            cancellationToken).ConfigureAwait(false);
        var problems = result.Problems.ToList();
        if (result.Function is { } function && function.Name != name)
        {
            problems.Add(new DocumentProblem("$.name", $"is '{function.Name}' but the document is saved as '{name}'; the two must match"));
        }

        if (problems.Count > 0 || result.Function is null)
        {
            throw new DefinitionRejectedException(name, problems);
        }

        var text = document!.ToJsonString();
        var saved = await store.SaveAsync(name, text, stored => SameDocument(stored, text), cancellationToken).ConfigureAwait(false);
        if (saved.Changed)
        {
            foreach (var observer in _observers)
            {
                await observer.SavedAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }

        return new SavedDefinition(name, saved.Version, saved.Changed, saved.Created);
    }

    /// <summary>Deletes the current definition; executions already started keep their version. False when there was none.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        await IsCodeFunctionAsync(name, cancellationToken).ConfigureAwait(false)
            ? throw new FunctionNameTakenException(name)
            : await store.DeleteAsync(name, cancellationToken).ConfigureAwait(false);

    /// <summary>The document of a stack function at a version (null: the current one), or null.</summary>
    public async Task<JsonNode?> GetDocumentAsync(string name, int? version = null, CancellationToken cancellationToken = default)
    {
        var current = await store.GetAsync(name, version, cancellationToken).ConfigureAwait(false);
        return current is null ? null : JsonNode.Parse(current.Document);
    }

    private async ValueTask<bool> IsCodeFunctionAsync(string name, CancellationToken cancellationToken)
    {
        foreach (var source in _codeSources)
        {
            if (await source.FindAsync(name, null, cancellationToken).ConfigureAwait(false) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The document with <c>name</c> as its first field, as a reader expects it.</summary>
    private static JsonObject WithName(JsonObject document, string name)
    {
        var named = new JsonObject { ["name"] = name };
        foreach (var (key, value) in document.Where(p => p.Key != "name"))
        {
            named[key] = value?.DeepClone();
        }

        return named;
    }

    private static bool SameDocument(string stored, string text)
    {
        if (stored == text)
        {
            return true;
        }

        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(stored), JsonNode.Parse(text));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
