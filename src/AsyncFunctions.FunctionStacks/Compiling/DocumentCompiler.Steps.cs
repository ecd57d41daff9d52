using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Model;

namespace AsyncFunctions.FunctionStacks.Compiling;

internal sealed partial class DocumentCompiler
{
    /// <summary>The fields each step kind has besides its kind key, "description" and (where listed) "as".</summary>
    private static readonly Dictionary<string, string[]> StepFields = new(StringComparer.Ordinal)
    {
        ["var"] = ["value"],
        ["set"] = ["value", "op"],
        ["if"] = ["then", "elseIf", "else"],
        ["switch"] = ["cases", "default"],
        ["for"] = ["index", "do"],
        ["foreach"] = ["item", "index", "do"],
        ["while"] = ["index", "do"],
        ["break"] = [],
        ["continue"] = [],
        ["call"] = ["input", "async", "as"],
        ["await"] = ["timeoutSeconds", "settled", "as"],
        ["request"] = ["method", "headers", "params", "json", "text", "timeoutSeconds", "as"],
        ["lambda"] = ["as"],
        ["query"] = ["connection", "parameters", "timeoutSeconds", "as"],
        ["try"] = ["catch", "error", "finally"],
        ["throw"] = ["message", "data"],
        ["precondition"] = ["code", "message", "data"],
        ["return"] = [],
        ["sleep"] = [],
        ["log"] = ["level", "data"],
    };

    private static readonly string[] SetOperations = ["set", "push", "increment", "remove"];
    private static readonly string[] LogLevels = ["debug", "info", "warning", "error"];
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

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

        var kinds = step.Select(p => p.Key).Where(StepFields.ContainsKey).ToList();
        if (kinds.Count != 1)
        {
            Problem(path, kinds.Count == 0
                ? $"the step has no kind key; use one of {string.Join(", ", StepFields.Keys)}"
                : $"the step has {kinds.Count} kind keys ({string.Join(", ", kinds)}); use exactly one");
            return null;
        }

        var kind = kinds[0];
        var allowed = StepFields[kind];
        foreach (var (key, _) in step)
        {
            if (key != kind && key != "description" && !allowed.Contains(key))
            {
                Problem(JsonPaths.Property(path, key), $"unknown field '{key}' for a '{kind}' step; allowed: {string.Join(", ", allowed.Prepend("description"))}");
            }
        }

        OptionalText(step, path, "description");
        var main = step[kind];
        var mainPath = JsonPaths.Property(path, kind);
        var result = kind switch
        {
            "var" => VarStep(step, path, main, mainPath),
            "set" => SetStep(step, path, main, mainPath),
            "if" => IfStep(step, path, main, mainPath),
            "switch" => SwitchStep(step, path, main, mainPath),
            "for" or "foreach" or "while" => LoopStep(kind, step, path, main, mainPath),
            "break" or "continue" => JumpStep(kind, path, main, mainPath),
            "call" => CallStep(step, path, main, mainPath),
            "await" => new AwaitStep
            {
                Path = path,
                Ids = Value(main, mainPath),
                TimeoutSeconds = OptionalNumber(step, path, "timeoutSeconds", 0, StepRanges.AwaitTimeoutMax),
                Settled = LiteralBool(step, path, "settled"),
            },
            "request" => RequestStep(step, path, main, mainPath),
            "lambda" => LambdaStep(path, main, mainPath),
            "query" => QueryStep(step, path, main, mainPath),
            "try" => TryStep(step, path, main, mainPath),
            "throw" => new ThrowStep
            {
                Path = path,
                Code = ErrorCode(main, mainPath)!,
                Message = OptionalValue(step, path, "message"),
                Data = OptionalValue(step, path, "data"),
            },
            "precondition" => new PreconditionStep
            {
                Path = path,
                Condition = Condition(main, mainPath),
                Code = step.ContainsKey("code") ? ErrorCode(step["code"], path + ".code") : null,
                Message = OptionalValue(step, path, "message"),
                Data = OptionalValue(step, path, "data"),
            },
            "return" => new ReturnStep { Path = path, Value = Value(main, mainPath) },
            "sleep" => new SleepStep { Path = path, Milliseconds = OptionalNumber(step, path, "sleep", 0, Model.SleepStep.MaxMilliseconds) ?? SleepProblem(mainPath) },
            "log" => LogStep(step, path, main, mainPath),
            _ => null,
        };

        if (result is not null && allowed.Contains("as"))
        {
            var target = Name(step, path, "as", required: false);
            Define(target);
            result = WithAs(result, target);
        }

        return result;
    }

    /// <summary>The kind keys of steps; no field of any step may use one of these names.</summary>
    internal static IReadOnlyCollection<string> StepKinds => StepFields.Keys;

    /// <summary>Every field name steps use besides their kind key.</summary>
    internal static IEnumerable<string> AllStepFields => StepFields.Values.SelectMany(f => f).Concat(["description", "if", "then", "value"]).Distinct();

    private LiteralValue SleepProblem(string path)
    {
        Problem(path, "must be a number of milliseconds from 0 to 86400000, or an expression");
        return new LiteralValue(0);
    }

    private static Step WithAs(Step step, string? target) => target is null ? step : step switch
    {
        CallStep s => new CallStep { Path = s.Path, As = target, Function = s.Function, Input = s.Input, Async = s.Async },
        AwaitStep s => new AwaitStep { Path = s.Path, As = target, Ids = s.Ids, TimeoutSeconds = s.TimeoutSeconds, Settled = s.Settled },
        RequestStep s => new RequestStep
        {
            Path = s.Path, As = target, Url = s.Url, Method = s.Method, Headers = s.Headers, Params = s.Params, Json = s.Json, Text = s.Text,
            TimeoutSeconds = s.TimeoutSeconds,
        },
        LambdaStep s => new LambdaStep { Path = s.Path, As = target, Code = s.Code },
        QueryStep s => new QueryStep { Path = s.Path, As = target, Sql = s.Sql, Connection = s.Connection, Parameters = s.Parameters, TimeoutSeconds = s.TimeoutSeconds },
        _ => step,
    };

    /// <summary>An error code: a non-empty text, or an expression that yields one.</summary>
    private ValueTemplate ErrorCode(JsonNode? node, string path)
    {
        var code = Value(node, path);
        if (code is LiteralValue literal && (!JsonPaths.TryGetString(literal.Value, out var text) || string.IsNullOrWhiteSpace(text)))
        {
            Problem(path, "an error code must be a non-empty text such as \"order.not_found\", or an expression");
        }

        return code;
    }

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
