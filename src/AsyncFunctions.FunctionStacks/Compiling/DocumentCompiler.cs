using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;

namespace AsyncFunctions.FunctionStacks.Compiling;

/// <summary>One compilation: walks the document once, collecting every problem with its path.</summary>
internal sealed partial class DocumentCompiler(Func<string, bool>? functionExists)
{
    private static readonly string[] TopLevelFields = ["name", "description", "inputs", "retry", "timeoutSeconds", "callbackUrl", "queue", "debounce", "concurrency", "holdWhileAwaiting", "rateLimit", "stack", "response"];

    private readonly List<DocumentProblem> _problems = [];
    private readonly Dictionary<string, StepBlock> _blocks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Step> _steps = new(StringComparer.Ordinal);
    private readonly HashSet<string> _defined = new(StringComparer.Ordinal);
    private int _loopDepth;
    private string _name = "";

    public CompileResult Compile(JsonNode? node)
    {
        if (node is not JsonObject source)
        {
            return new CompileResult(null, [new DocumentProblem("$", $"a function document must be a JSON object, not {JsonPaths.Describe(node)}")]);
        }

        var document = (JsonObject)source.DeepClone();
        foreach (var (key, _) in document)
        {
            if (!TopLevelFields.Contains(key))
            {
                Problem(JsonPaths.Property("$", key), $"unknown field '{key}'; a document has {string.Join(", ", TopLevelFields)}");
            }
        }

        var name = "";
        if (!document.TryGetPropertyValue("name", out var nameNode) || !JsonPaths.TryGetString(nameNode, out name))
        {
            Problem("$.name", "the function needs a 'name' text");
        }
        else if (!FunctionName.IsValid(name))
        {
            Problem("$.name", $"'{name}' is not a valid function name: use 1 to {FunctionName.MaxLength} letters, digits, '.', '_' or '-'");
        }

        _name = name;
        var description = OptionalText(document, "$", "description") ?? "";
        var inputs = new InputDeclarationReader(_problems).ReadAll(document["inputs"], "$.inputs");
        var retry = ReadRetry(document["retry"]);
        var timeout = ReadTimeout(document);
        var callbackUrl = ReadCallbackUrl(document);
        var flow = AsyncFunctions.FlowControl.FunctionFlow.None with { Queue = ReadQueue(document) };
        var flowLimits = ReadFlow(document) with { Debounce = ReadDebounce(document) };

        StepBlock root;
        if (document["stack"] is null)
        {
            Problem("$.stack", "the function needs a 'stack' array of steps");
            root = new StepBlock("$.stack", []);
        }
        else
        {
            root = Block(document["stack"], "$.stack");
        }

        ValueTemplate? response = document.TryGetPropertyValue("response", out var responseNode)
            ? Value(responseNode, "$.response")
            : null;

        if (_problems.Count > 0)
        {
            return new CompileResult(null, _problems);
        }

        return new CompileResult(
            new CompiledFunction(document, name, description, inputs, retry, timeout, root, response, _blocks, _steps) { CallbackUrl = callbackUrl, Flow = flow, FlowLimits = flowLimits },
            []);
    }

    private RetryPolicy ReadRetry(JsonNode? node)
    {
        if (node is null)
        {
            return RetryPolicy.None;
        }

        if (node is not JsonObject retry)
        {
            Problem("$.retry", "must be an object { maxRetries, delaySeconds }");
            return RetryPolicy.None;
        }

        UnknownFields(retry, "$.retry", ["maxRetries", "delaySeconds"], "retry");
        var max = 0;
        if (!JsonPaths.TryGetDecimal(retry["maxRetries"], out var maxValue) || maxValue < 0 || maxValue > 100 || maxValue != decimal.Truncate(maxValue))
        {
            Problem("$.retry.maxRetries", "must be a whole number from 0 to 100");
        }
        else
        {
            max = (int)maxValue;
        }

        var delays = new List<int>();
        if (retry["delaySeconds"] is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (JsonPaths.TryGetDecimal(array[i], out var delay) && delay >= 0 && delay <= 86400 && delay == decimal.Truncate(delay))
                {
                    delays.Add((int)delay);
                }
                else
                {
                    Problem(JsonPaths.Index("$.retry.delaySeconds", i), "must be a whole number of seconds from 0 to 86400");
                }
            }
        }
        else if (retry["delaySeconds"] is not null)
        {
            Problem("$.retry.delaySeconds", "must be an array of whole numbers of seconds");
        }

        return max == 0 && delays.Count == 0 ? RetryPolicy.None : new RetryPolicy(max, delays);
    }

    private TimeSpan? ReadTimeout(JsonObject document)
    {
        if (!document.TryGetPropertyValue("timeoutSeconds", out var node) || node is null)
        {
            return null;
        }

        if (!JsonPaths.TryGetDecimal(node, out var seconds) || seconds <= 0 || seconds > 7 * 86400)
        {
            Problem("$.timeoutSeconds", "must be a number of seconds greater than 0 and at most 604800");
            return null;
        }

        return TimeSpan.FromSeconds((double)seconds);
    }

    private string? ReadCallbackUrl(JsonObject document)
    {
        if (!document.TryGetPropertyValue("callbackUrl", out var node) || node is null)
        {
            return null;
        }

        var url = JsonPaths.TryGetString(node, out var text) ? text : null;
        if (Webhooks.CallbackUrl.Problem(url) is { } problem)
        {
            Problem("$.callbackUrl", problem);
            return null;
        }

        return url;
    }

    private void Problem(string path, string message) => _problems.Add(new DocumentProblem(path, message));

    private void UnknownFields(JsonObject obj, string path, IReadOnlyCollection<string> allowed, string what)
    {
        foreach (var (key, _) in obj)
        {
            if (!allowed.Contains(key))
            {
                Problem(JsonPaths.Property(path, key), $"unknown field '{key}' for {what}; allowed: {string.Join(", ", allowed)}");
            }
        }
    }

    private string? OptionalText(JsonObject obj, string path, string field)
    {
        if (!obj.TryGetPropertyValue(field, out var node) || node is null)
        {
            return null;
        }

        if (JsonPaths.TryGetString(node, out var text))
        {
            return text;
        }

        Problem(JsonPaths.Property(path, field), $"must be a text, not {JsonPaths.Describe(node)}");
        return null;
    }
}
