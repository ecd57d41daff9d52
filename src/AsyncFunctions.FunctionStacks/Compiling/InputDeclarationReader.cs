using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AsyncFunctions.Inputs;

namespace AsyncFunctions.FunctionStacks.Compiling;

/// <summary>Reads the "inputs" of a document into Core's <see cref="InputDeclaration"/>s.</summary>
internal sealed class InputDeclarationReader(List<DocumentProblem> problems)
{
    private static readonly string[] Fields =
        ["name", "type", "description", "required", "nullable", "default", "min", "max", "minLength", "maxLength", "pattern", "enum", "items"];

    private static readonly Dictionary<string, InputType> Types = new(StringComparer.Ordinal)
    {
        ["any"] = InputType.Any,
        ["text"] = InputType.Text,
        ["int"] = InputType.Int,
        ["decimal"] = InputType.Decimal,
        ["bool"] = InputType.Bool,
        ["timestamp"] = InputType.Timestamp,
        ["object"] = InputType.Object,
        ["array"] = InputType.Array,
    };

    public IReadOnlyList<InputDeclaration> ReadAll(JsonNode? node, string path)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            problems.Add(new DocumentProblem(path, "must be an array of input declarations"));
            return [];
        }

        var result = new List<InputDeclaration>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = JsonPaths.Index(path, i);
            var declaration = Read(array[i], itemPath, named: true);
            if (declaration is null)
            {
                continue;
            }

            if (!names.Add(declaration.Name))
            {
                problems.Add(new DocumentProblem(itemPath + ".name", $"the input '{declaration.Name}' is declared twice"));
            }

            result.Add(declaration);
        }

        return result;
    }

    private InputDeclaration? Read(JsonNode? node, string path, bool named)
    {
        if (node is not JsonObject obj)
        {
            problems.Add(new DocumentProblem(path, "must be an object such as { \"name\": \"id\", \"type\": \"int\" }"));
            return null;
        }

        var problemsBefore = problems.Count;

        foreach (var (key, _) in obj)
        {
            if (!Fields.Contains(key) || (!named && key is "name" or "required" or "default"))
            {
                problems.Add(new DocumentProblem(JsonPaths.Property(path, key), $"unknown field '{key}' for an input declaration"));
            }
        }

        var name = "items";
        if (named && (!JsonPaths.TryGetString(obj["name"], out name) || !JsonPaths.IsIdentifier(name)))
        {
            problems.Add(new DocumentProblem(path + ".name", "an input needs a 'name' of letters, digits and '_'"));
        }

        var type = InputType.Any;
        if (obj["type"] is { } typeNode && (!JsonPaths.TryGetString(typeNode, out var typeName) || !Types.TryGetValue(typeName, out type)))
        {
            problems.Add(new DocumentProblem(path + ".type", $"must be one of {string.Join(", ", Types.Keys)}"));
        }

        var pattern = Text(obj, path, "pattern");
        if (pattern is not null && !IsRegex(pattern))
        {
            problems.Add(new DocumentProblem(path + ".pattern", "is not a valid regular expression"));
        }

        if (obj["enum"] is { } enumNode and not JsonArray)
        {
            problems.Add(new DocumentProblem(path + ".enum", "must be an array of allowed values"));
        }

        if (obj["items"] is not null && type != InputType.Array)
        {
            problems.Add(new DocumentProblem(path + ".items", "only an input of type 'array' declares items"));
        }

        var declaration = new InputDeclaration
        {
            Name = name,
            Type = type,
            Description = Text(obj, path, "description"),
            Required = Bool(obj, path, "required"),
            Nullable = Bool(obj, path, "nullable"),
            Default = obj["default"]?.DeepClone(),
            Min = Number(obj, path, "min"),
            Max = Number(obj, path, "max"),
            MinLength = (int?)Number(obj, path, "minLength", whole: true),
            MaxLength = (int?)Number(obj, path, "maxLength", whole: true),
            Pattern = pattern,
            Enum = (obj["enum"] as JsonArray)?.Select(e => e?.DeepClone()).ToList(),
            Items = obj["items"] is { } items ? Read(items, path + ".items", named: false) : null,
        };
        if (problems.Count == problemsBefore)
        {
            CheckEnum(declaration, path + ".enum");
        }

        if (declaration.Default is { } value && problems.Count == problemsBefore)
        {
            CheckDefault(declaration, value, path + ".default");
        }

        return declaration;
    }

    /// <summary>A default must pass its own declaration, or every run without the input would fail.</summary>
    private void CheckDefault(InputDeclaration declaration, JsonNode value, string path)
    {
        InputValidator.Validate(new JsonObject { [declaration.Name] = value.DeepClone() }, [declaration with { Default = null, Required = false }], out var found);
        foreach (var problem in found)
        {
            problems.Add(new DocumentProblem(path, $"the default does not fit the declaration: {problem.Message}"));
        }
    }

    /// <summary>Each enum value must pass the rest of the declaration; one that cannot is never accepted and hides a mistake.</summary>
    private void CheckEnum(InputDeclaration declaration, string path)
    {
        var rest = declaration with { Enum = null, Default = null, Required = false };
        for (var i = 0; i < (declaration.Enum?.Count ?? 0); i++)
        {
            InputValidator.Validate(new JsonObject { [declaration.Name] = declaration.Enum![i]?.DeepClone() }, [rest], out var found);
            foreach (var problem in found)
            {
                problems.Add(new DocumentProblem(JsonPaths.Index(path, i), $"the enum value does not fit the declaration: {problem.Message}"));
            }
        }
    }

    private string? Text(JsonObject obj, string path, string field)
    {
        var node = obj[field];
        if (node is null)
        {
            return null;
        }

        if (JsonPaths.TryGetString(node, out var text))
        {
            return text;
        }

        problems.Add(new DocumentProblem(JsonPaths.Property(path, field), "must be a text"));
        return null;
    }

    private bool Bool(JsonObject obj, string path, string field)
    {
        var node = obj[field];
        if (node is null)
        {
            return false;
        }

        if (JsonPaths.TryGetBool(node, out var value))
        {
            return value;
        }

        problems.Add(new DocumentProblem(JsonPaths.Property(path, field), "must be true or false"));
        return false;
    }

    private decimal? Number(JsonObject obj, string path, string field, bool whole = false)
    {
        var node = obj[field];
        if (node is null)
        {
            return null;
        }

        if (JsonPaths.TryGetDecimal(node, out var value) && (!whole || (value == decimal.Truncate(value) && value >= 0 && value <= int.MaxValue)))
        {
            return value;
        }

        problems.Add(new DocumentProblem(JsonPaths.Property(path, field), whole ? "must be a whole number of at least 0" : "must be a number"));
        return null;
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
