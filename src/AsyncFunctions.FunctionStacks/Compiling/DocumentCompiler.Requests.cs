using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Http;
using AsyncFunctions.FunctionStacks.Model;

namespace AsyncFunctions.FunctionStacks.Compiling;

internal sealed partial class DocumentCompiler
{
    internal RequestStep RequestStep(StepSource source)
    {
        var (step, path, main, mainPath, _) = source;
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
        if (method is LiteralValue { Value: var methodNode } && (!JsonPaths.TryGetString(methodNode, out var verb) || !Model.RequestStep.Methods.Contains(verb)))
        {
            Problem(path + ".method", $"must be one of {string.Join(", ", Model.RequestStep.Methods)}");
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
            Kind = source.Kind,
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
            else if (HeaderRules.IsReserved(name))
            {
                Problem(JsonPaths.Property(path, name), HeaderRules.ReservedRule(name));
            }
            else if (value is LiteralValue { Value: var node } && JsonPaths.TryGetString(node, out var text) && !HeaderRules.IsValidValue(text))
            {
                Problem(JsonPaths.Property(path, name), HeaderRules.ValueRule);
            }
        }
    }
}
