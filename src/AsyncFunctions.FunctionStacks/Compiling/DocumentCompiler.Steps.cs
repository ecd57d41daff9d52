using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Model;

namespace AsyncFunctions.FunctionStacks.Compiling;

internal sealed partial class DocumentCompiler
{
    private StepBlock Block(JsonNode? node, string path)
    {
        var steps = new List<Step>();
        if (node is not JsonArray array)
        {
            Problem(path, $"must be an array of steps, not {JsonPaths.Describe(node)}");
        }
        else
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (StepAt(array[i], JsonPaths.Index(path, i)) is { } step)
                {
                    steps.Add(step);
                    _steps[step.Path] = step;
                }
            }
        }

        var block = new StepBlock(path, steps);
        _blocks[path] = block;
        return block;
    }

    private Step? StepAt(JsonNode? node, string path)
    {
        if (node is not JsonObject step)
        {
            Problem(path, $"a step must be an object with one kind key such as \"var\" or \"if\", not {JsonPaths.Describe(node)}");
            return null;
        }

        var kinds = step.Select(p => p.Key).Where(StepKinds.ByName.ContainsKey).ToList();
        if (kinds.Count != 1)
        {
            Problem(path, kinds.Count == 0
                ? $"the step has no kind key; use one of {string.Join(", ", StepKinds.All.Select(k => k.Name))}"
                : $"the step has {kinds.Count} kind keys ({string.Join(", ", kinds)}); use exactly one");
            return null;
        }

        var kind = StepKinds.ByName[kinds[0]];
        foreach (var (key, _) in step)
        {
            if (key != kind.Name && key != "description" && !kind.Fields.Contains(key))
            {
                Problem(JsonPaths.Property(path, key), $"unknown field '{key}' for a '{kind.Name}' step; allowed: {string.Join(", ", kind.Fields.Prepend("description"))}");
            }
        }

        OptionalText(step, path, "description");
        var result = kind.Compile(this, new StepSource(step, path, step[kind.Name], JsonPaths.Property(path, kind.Name), kind));
        if (result is not null && kind.YieldsValue)
        {
            var target = Name(step, path, "as", required: false);
            Define(target);
            if (target is not null)
            {
                result = result with { As = target };
            }
        }

        return result;
    }

    /// <summary>Every field name steps use besides their kind key, with those of elseIf branches and switch cases.</summary>
    internal static IEnumerable<string> AllStepFields => StepKinds.All.SelectMany(k => k.Fields).Concat(["description", "if", "then", "value"]).Distinct();

    private StepBlock RequiredBlock(JsonObject owner, string path, string field)
    {
        if (!owner.ContainsKey(field))
        {
            Problem(JsonPaths.Property(path, field), $"needs a '{field}' array of steps");
        }

        return Block(owner[field], JsonPaths.Property(path, field));
    }

    private string? Name(JsonObject step, string path, string field, bool required)
    {
        if (!step.TryGetPropertyValue(field, out var node))
        {
            if (required)
            {
                Problem(JsonPaths.Property(path, field), $"needs a '{field}' variable name");
            }

            return null;
        }

        return VariableName(node, JsonPaths.Property(path, field));
    }

    private string? VariableName(JsonNode? node, string path)
    {
        if (JsonPaths.TryGetString(node, out var name) && JsonPaths.IsIdentifier(name))
        {
            return name;
        }

        Problem(path, "must be a variable name of letters, digits and '_' that does not start with a digit");
        return null;
    }

    private bool LiteralBool(JsonObject step, string path, string field)
    {
        if (!step.TryGetPropertyValue(field, out var node))
        {
            return false;
        }

        if (JsonPaths.TryGetBool(node, out var value))
        {
            return value;
        }

        Problem(JsonPaths.Property(path, field), "must be true or false (not an expression)");
        return false;
    }
}
