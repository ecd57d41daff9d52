using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The served OpenAPI document, and what an answer must be to keep to it: its operation exists,
/// its status and content type are declared, its body is valid against the declared schema, and
/// the headers declared required are sent.
/// </summary>
public sealed class OpenApiContract
{
    private readonly JsonObject _document;
    private readonly Dictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    public OpenApiContract(string documentText)
    {
        Text = documentText;
        _document = JsonNode.Parse(documentText)!.AsObject();
    }

    public string Text { get; }

    public JsonObject Paths => _document["paths"]!.AsObject();

    /// <summary>Every documented (method, path template), methods in upper case.</summary>
    public IEnumerable<(string Method, string Template)> Operations =>
        Paths.SelectMany(p => p.Value!.AsObject().Select(m => (m.Key.ToUpperInvariant(), p.Key)));

    /// <summary>The template of <paramref name="path"/> for <paramref name="method"/>: literal segments win over parameters.</summary>
    public string? FindTemplate(string method, string path)
    {
        var segments = Segments(path);
        return Paths
            .Where(p => p.Value![method.ToLowerInvariant()] is not null)
            .Select(p => (Template: p.Key, Parts: Segments(p.Key)))
            .Where(t => t.Parts.Length == segments.Length && t.Parts.Zip(segments).All(x => IsParameter(x.First) || x.First == x.Second))
            .OrderByDescending(t => t.Parts.Count(s => !IsParameter(s)))
            .Select(t => t.Template)
            .FirstOrDefault();
    }

    /// <summary>What is wrong with <paramref name="exchange"/> by the document; empty when it keeps to it.</summary>
    public IReadOnlyList<string> Violations(RecordedExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var template = FindTemplate(exchange.Method, exchange.Path);
        if (template is null)
        {
            return [$"{exchange}: no operation {exchange.Method} matches the path in the document"];
        }

        var operation = Paths[template]![exchange.Method.ToLowerInvariant()]!;
        var response = Resolve(operation["responses"]?[exchange.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (response is null)
        {
            return [$"{exchange}: status {exchange.Status} is not declared for {exchange.Method} {template}"];
        }

        var problems = new List<string>();
        foreach (var header in response["headers"]?.AsObject() ?? [])
        {
            if (header.Value?["required"]?.GetValue<bool>() == true && !exchange.Headers.Contains(header.Key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{exchange}: the required header {header.Key} is missing");
            }
        }

        var content = response["content"]?.AsObject();
        if (exchange.Body.Length == 0)
        {
            return problems;
        }

        if (content is null || exchange.MediaType is null || content[exchange.MediaType] is not { } media)
        {
            problems.Add($"{exchange}: content type {exchange.MediaType} is not declared for status {exchange.Status} of {exchange.Method} {template} (declared: {string.Join(", ", content?.Select(c => c.Key) ?? [])})");
            return problems;
        }

        if (media["schema"] is { } schema && exchange.MediaType.EndsWith("json", StringComparison.Ordinal))
        {
            problems.AddRange(Validate(schema, exchange));
        }

        return problems;
    }

    private IEnumerable<string> Validate(JsonNode schema, RecordedExchange exchange)
    {
        var key = schema.ToJsonString();
        if (!_schemas.TryGetValue(key, out var built))
        {
            // The response's schema with the document's schemas beside it, its references pointing there.
            var root = new JsonObject
            {
                ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                ["$defs"] = _document["components"]!["schemas"]!.DeepClone(),
                ["allOf"] = new JsonArray(schema.DeepClone()),
            };
            var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
            built = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://contract.test/{Guid.NewGuid():N}"));
            _schemas[key] = built;
        }

        using var body = JsonDocument.Parse(exchange.Body);
        var result = built.Evaluate(body.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            yield break;
        }

        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
            .Take(8);
        yield return $"{exchange}: the body does not match the declared schema: {string.Join("; ", errors)}\n{exchange.Body}";
    }

    private JsonNode? Resolve(JsonNode? node) =>
        node?["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/components/responses/", StringComparison.Ordinal)
            ? _document["components"]!["responses"]![reference["#/components/responses/".Length..]]
            : node;

    private static string[] Segments(string path) => path.Trim('/').Split('/');

    private static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');
}
