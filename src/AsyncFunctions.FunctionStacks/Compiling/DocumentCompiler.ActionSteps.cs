using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Http;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Compiling;

internal sealed partial class DocumentCompiler
{
    private CallStep CallStep(JsonObject step, string path, JsonNode? main, string mainPath)
    {
        var function = Value(main, mainPath);
        if (function is LiteralValue literal)
        {
            if (!JsonPaths.TryGetString(literal.Value, out var name) || !FunctionName.IsValid(name))
            {
                Problem(mainPath, "must be a function name or an expression that yields one");
            }
            else if (functionExists is not null && name != _name && !functionExists(name))
            {
                Problem(mainPath, $"there is no function named '{name}'");
            }
        }

        return new CallStep { Path = path, Function = function, Input = OptionalValue(step, path, "input"), Async = LiteralBool(step, path, "async") };
    }

    private RequestStep RequestStep(JsonObject step, string path, JsonNode? main, string mainPath)
    {
        var url = Value(main, mainPath);
        if (url is LiteralValue literal)
        {
            if (!JsonPaths.TryGetString(literal.Value, out var text) || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                Problem(mainPath, "must be an absolute http or https URL, or an expression that yields one");
            }
            else if (!HeaderRules.IsValidUrl(text))
            {
                Problem(mainPath, HeaderRules.UrlRule);
            }
        }

        var method = OptionalValue(step, path, "method");
        if (method is LiteralValue { Value: var methodNode } && (!JsonPaths.TryGetString(methodNode, out var verb) || !Methods.Contains(verb)))
        {
            Problem(path + ".method", $"must be one of {string.Join(", ", Methods)}");
        }

        if (step.ContainsKey("json") && step.ContainsKey("text"))
        {
            Problem(path, "a request has either a 'json' or a 'text' body, not both");
        }

        var headers = OptionalValue(step, path, "headers");
        CheckHeaders(headers, path + ".headers");
        return new RequestStep
        {
            Path = path,
            Url = url,
            Method = method,
            Headers = headers,
            Params = OptionalValue(step, path, "params"),
            Json = OptionalValue(step, path, "json"),
            Text = OptionalValue(step, path, "text"),
            TimeoutSeconds = OptionalNumber(step, path, "timeoutSeconds", StepRanges.RequestTimeoutMin, StepRanges.TimeoutMax),
        };
    }

    /// <summary>Header names are always written in the document; values are checked where they are literal texts.</summary>
    private void CheckHeaders(ValueTemplate? headers, string path)
    {
        var properties = headers switch
        {
            LiteralValue { Value: JsonObject values } => values.Select(p => KeyValuePair.Create(p.Key, (ValueTemplate)new LiteralValue(p.Value))),
            ObjectValue values => values.Properties,
            _ => [],
        };
        foreach (var (name, value) in properties)
        {
            if (!HeaderRules.IsValidName(name))
            {
                Problem(JsonPaths.Property(path, name), HeaderRules.NameRule);
            }
            else if (value is LiteralValue { Value: var node } && JsonPaths.TryGetString(node, out var text) && !HeaderRules.IsValidValue(text))
            {
                Problem(JsonPaths.Property(path, name), HeaderRules.ValueRule);
            }
        }
    }

    private LambdaStep? LambdaStep(string path, JsonNode? main, string mainPath)
    {
        if (!JsonPaths.TryGetString(main, out var code) || string.IsNullOrWhiteSpace(code))
        {
            Problem(mainPath, "must be the JavaScript code of a function body, which ends with 'return value;'");
            return null;
        }

        var read = new HashSet<string>(StringComparer.Ordinal);
        var script = ScriptCompiler.Lambda(code, mainPath, _problems, read);
        CheckRead(read, mainPath);
        return script is null ? null : new LambdaStep { Path = path, Code = script };
    }

    private QueryStep? QueryStep(JsonObject step, string path, JsonNode? main, string mainPath)
    {
        if (!JsonPaths.TryGetString(main, out var sql) || string.IsNullOrWhiteSpace(sql))
        {
            Problem(mainPath, "must be the SQL text; pass values through 'parameters' (@name), never inside the SQL");
        }

        var connection = OptionalText(step, path, "connection");
        if (string.IsNullOrEmpty(connection))
        {
            Problem(path + ".connection", "a 'query' step needs the 'connection' name an administrator configured");
        }

        var parameters = OptionalValue(step, path, "parameters");
        if (parameters is LiteralValue { Value: not (null or JsonObject) })
        {
            Problem(path + ".parameters", "must be an object of parameter values");
        }

        return string.IsNullOrWhiteSpace(sql) || string.IsNullOrEmpty(connection)
            ? null
            : new QueryStep
            {
                Path = path,
                Sql = sql,
                Connection = connection,
                Parameters = parameters,
                TimeoutSeconds = OptionalNumber(step, path, "timeoutSeconds", StepRanges.QueryTimeoutMin, StepRanges.TimeoutMax),
            };
    }

    private TryStep TryStep(JsonObject step, string path, JsonNode? main, string mainPath)
    {
        var body = Block(main, mainPath);
        var errorVariable = Name(step, path, "error", required: false) ?? "error";
        if (!step.ContainsKey("catch") && !step.ContainsKey("finally"))
        {
            Problem(path, "a 'try' step needs a 'catch' or a 'finally' (or both)");
        }

        Define(errorVariable);
        var handler = step.ContainsKey("catch") ? Block(step["catch"], path + ".catch") : null;
        var cleanup = step.ContainsKey("finally") ? Block(step["finally"], path + ".finally") : null;
        return new TryStep { Path = path, Body = body, Catch = handler, ErrorVariable = errorVariable, Finally = cleanup };
    }

    private LogStep LogStep(JsonObject step, string path, JsonNode? main, string mainPath)
    {
        var level = OptionalText(step, path, "level") ?? "info";
        if (!LogLevels.Contains(level))
        {
            Problem(path + ".level", $"must be one of {string.Join(", ", LogLevels)}");
        }

        return new LogStep { Path = path, Message = Value(main, mainPath), Level = level, Data = OptionalValue(step, path, "data") };
    }
}
