using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AsyncFunctions.AspNetCore.OpenApi;

/// <summary>
/// Makes the schemas say what is really sent. Numbers are numbers: the web serializer options
/// also read numbers from strings, which the generator writes as "integer or string", but the API
/// writes numbers and reads bodies as strict JSON. Enumerations are strings. An answer's record
/// always holds every field (null where empty), so all are required, and no other field is sent
/// or accepted, so none other is allowed (problem documents excepted: they may grow extensions).
/// </summary>
internal sealed class ContractSchemaTransformer : IOpenApiSchemaTransformer
{
    /// <summary>Bodies the client sends: only the fields it must send are required.</summary>
    private static readonly HashSet<Type> RequestBodies = [typeof(StartExecutionBody), typeof(RunFunctionBody), typeof(AwaitBody), typeof(FunctionDocument), typeof(ConcurrencyLimitDocument), typeof(RateLimitDocument), typeof(ScheduleBody)];

    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        StrictNumbers(schema);
        var info = context.JsonTypeInfo;
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (type.IsEnum && schema.Enum is { Count: > 0 } values)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. values.Where(v => v is not null)];
            return;
        }

        if (info.Kind != JsonTypeInfoKind.Object || type.Namespace?.StartsWith("AsyncFunctions", StringComparison.Ordinal) != true)
        {
            return;
        }

        if (SchemaExamples.For(type) is { } example)
        {
            schema.Examples = [example];
        }

        if (type.GetCustomAttribute<ExtendsSchemaAttribute>() is { } extends)
        {
            var @base = await context.GetOrCreateSchemaAsync(extends.Base, cancellationToken: cancellationToken).ConfigureAwait(false);
            var own = schema.Properties ?? new Dictionary<string, IOpenApiSchema>();
            schema.Properties = new Dictionary<string, IOpenApiSchema>(@base.Properties ?? new Dictionary<string, IOpenApiSchema>());
            foreach (var (name, property) in own)
            {
                schema.Properties[name] = property;
            }

            schema.Required = new HashSet<string>((@base.Required ?? new HashSet<string>()).Concat(schema.Required ?? new HashSet<string>()));
        }
        else if (!typeof(Problem).IsAssignableFrom(type) && !RequestBodies.Contains(type) && schema.Properties is { } properties)
        {
            var omittedWhenNull = info.Properties.Where(OmittedWhenNull).Select(p => p.Name).ToHashSet();
            schema.Required = new HashSet<string>(properties.Keys.Where(k => !omittedWhenNull.Contains(k)));
        }

        if (!typeof(Problem).IsAssignableFrom(type))
        {
            schema.AdditionalPropertiesAllowed = false;
        }
    }

    private static void StrictNumbers(OpenApiSchema schema)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
    }

    private static bool OmittedWhenNull(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
            .OfType<JsonIgnoreAttribute>().Any(a => a.Condition == JsonIgnoreCondition.WhenWritingNull) == true;
}
