using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace AsyncFunctions.AspNetCore.OpenApi;

/// <summary>
/// Fields that hold any JSON (<see cref="JsonNode"/>, <see cref="JsonObject"/>, <see cref="JsonArray"/>)
/// are described in place as JSON Schema's "any value" (<c>{}</c>), "an object of anything" and "an
/// array of anything", not as references to schemas named after .NET types. Client generators map
/// such a schema to their own JSON or object type (NSwag: <c>object</c>, Kiota: <c>UntypedNode</c>,
/// openapi-typescript: <c>unknown</c>); a named schema with no properties became an empty class that
/// no JSON value deserializes into. A nullable reference ("null or JsonNode") becomes the same
/// schema with null allowed: any value already includes null, and oneOf would match a null twice.
/// </summary>
internal static class JsonValueSchemas
{
    private static readonly string[] Names = [nameof(JsonNode), nameof(JsonObject), nameof(JsonArray)];

    public static void Inline(OpenApiDocument document)
    {
        var schemas = document.Components?.Schemas;
        foreach (var schema in schemas?.Values.OfType<OpenApiSchema>() ?? [])
        {
            Rewrite(schema);
        }

        foreach (var operation in (document.Paths?.Values ?? Enumerable.Empty<IOpenApiPathItem>()).SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            foreach (var media in operation.RequestBody?.Content?.Values ?? [])
            {
                media.Schema = Replace(media.Schema);
            }

            foreach (var media in (operation.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>()).OfType<OpenApiResponse>().SelectMany(r => r.Content?.Values ?? []))
            {
                media.Schema = Replace(media.Schema);
            }
        }

        foreach (var name in Names)
        {
            schemas?.Remove(name);
        }
    }

    private static void Rewrite(OpenApiSchema schema)
    {
        foreach (var (name, property) in schema.Properties?.ToList() ?? [])
        {
            schema.Properties![name] = Replace(property)!;
        }

        schema.Items = Replace(schema.Items);
        schema.AdditionalProperties = Replace(schema.AdditionalProperties);
        foreach (var list in new[] { schema.OneOf, schema.AnyOf, schema.AllOf })
        {
            for (var i = 0; i < (list?.Count ?? 0); i++)
            {
                list![i] = Replace(list[i])!;
            }
        }
    }

    private static IOpenApiSchema? Replace(IOpenApiSchema? schema)
    {
        switch (schema)
        {
            case OpenApiSchemaReference reference when Names.Contains(reference.Reference.Id):
                return InPlace(reference.Reference.Id!, reference.Description, nullable: false);
            case OpenApiSchema { OneOf: { Count: 2 } alternatives } nullable
                when alternatives.Any(a => a is OpenApiSchema { Type: JsonSchemaType.Null })
                    && alternatives.OfType<OpenApiSchemaReference>().FirstOrDefault(r => Names.Contains(r.Reference.Id)) is { } reference:
                return InPlace(reference.Reference.Id!, reference.Description ?? nullable.Description, nullable: true);
            case OpenApiSchema concrete:
                Rewrite(concrete);
                return concrete;
            default:
                return schema;
        }
    }

    private static OpenApiSchema InPlace(string name, string? description, bool nullable)
    {
        var orNull = nullable ? JsonSchemaType.Null : 0;
        return name switch
        {
            nameof(JsonObject) => new OpenApiSchema
            {
                Type = JsonSchemaType.Object | orNull,
                AdditionalProperties = new OpenApiSchema(),
                Description = description ?? "A JSON object.",
            },
            nameof(JsonArray) => new OpenApiSchema
            {
                Type = JsonSchemaType.Array | orNull,
                Items = new OpenApiSchema(),
                Description = description ?? "A JSON array.",
            },
            _ => new OpenApiSchema { Description = description ?? "Any JSON value." },
        };
    }
}
