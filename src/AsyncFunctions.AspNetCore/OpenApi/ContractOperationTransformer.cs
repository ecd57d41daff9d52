using AsyncFunctions.Executions;
using AsyncFunctions.AspNetCore.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace AsyncFunctions.AspNetCore.OpenApi;

/// <summary>
/// Per operation: the meaning of each answer (<see cref="ResponseDescriptionMetadata"/>), the
/// headers that come with them, the API key it needs (with the 401, 429 and 503 every keyed endpoint
/// may answer), and query parameters typed as they are bound (an <c>int?</c> is an integer, not
/// "integer or string").
/// </summary>
internal sealed class ContractOperationTransformer(IOptions<ApiOptions> api) : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, string> ParameterDescriptions = new(StringComparer.Ordinal)
    {
        ["name"] = "The function's name.",
        ["id"] = "The execution's id.",
        ["function"] = "Only executions of this function.",
        ["parentId"] = "Only the executions this execution started.",
        ["errorCode"] = "Only executions that failed with this error code, such as limit.tree_executions.",
        ["createdAfter"] = "Only executions created after this RFC 3339 timestamp (exclusive; UTC when it names no offset).",
        ["createdBefore"] = "Only executions created before this RFC 3339 timestamp (exclusive; UTC when it names no offset).",
        ["cursor"] = "The nextCursor of the previous page.",
        ["children"] = "Also cancel every unfinished execution below this one.",
        ["schedule"] = "Only the occurrences of this schedule.",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        TypeParameters(operation);
        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ContractDocumentTransformer.SecurityScheme, context.Document)] = [] }];
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", new OpenApiResponseReference(ContractDocumentTransformer.Unauthorized, context.Document));
            operation.Responses.TryAdd("429", new OpenApiResponseReference(ContractDocumentTransformer.TooManyRequests, context.Document));
            operation.Responses.TryAdd("503", new OpenApiResponseReference(ContractDocumentTransformer.DatabaseUnavailable, context.Document));
        }

        foreach (var described in metadata.OfType<ResponseDescriptionMetadata>())
        {
            if (operation.Responses?.TryGetValue(described.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true && response is OpenApiResponse concrete)
            {
                concrete.Description = described.Description;
                if (described.StatusCode is StatusCodes.Status201Created or StatusCodes.Status202Accepted)
                {
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    concrete.Headers[HeaderNames.Location] = new OpenApiHeader
                    {
                        Description = "Where the created resource is read.",
                        Required = true,
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
                    };
                }
            }
        }

        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Description is null && parameter.Name == "name" && context.Description.RelativePath?.StartsWith("api/schedules", StringComparison.Ordinal) == true)
            {
                parameter.Description = "The schedule's name.";
            }

            if (parameter.Description is null && ParameterDescriptions.TryGetValue(parameter.Name ?? "", out var description))
            {
                parameter.Description = description;
            }

            if (parameter.Name is "createdAfter" or "createdBefore" && parameter.Schema is OpenApiSchema timestamp)
            {
                timestamp.Format = "date-time";
            }
        }

        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotencyKeyMetadata>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Endpoints.IdempotentStarts.Header,
                In = ParameterLocation.Header,
                Description = "Makes the start safe to repeat: a repeated start with the same key and request answers the execution the first one started (200), for AsyncFunctions:Api:IdempotencyRetention. Scoped to the API key.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Endpoints.IdempotentStarts.MaxKeyLength },
            });
        }

        EventStreams(operation);
        Bound(operation, "limit", 1, ExecutionQuery.MaxLimit, "How many executions a page holds (default 50).");
        Bound(operation, "waitSeconds", 0, api.Value.MaxWaitSeconds, "Wait up to this many seconds for the execution to finish before answering (long polling; AsyncFunctions:Api:MaxWaitSeconds at most).");
        return Task.CompletedTask;
    }

    /// <summary>
    /// An event stream is described as what a client receives: a stream of text, which generators
    /// hand over as a stream (NSwag: FileResponse, Kiota: Stream) to read line by line. The type of
    /// each event's data stays in the response's description.
    /// </summary>
    private static void EventStreams(OpenApiOperation operation)
    {
        foreach (var media in (operation.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>()).OfType<OpenApiResponse>()
            .SelectMany(r => r.Content ?? new Dictionary<string, OpenApiMediaType>()).Where(c => c.Key == ApiContract.EventStream).Select(c => c.Value))
        {
            var data = media.Schema is OpenApiSchemaReference reference ? reference.Reference.Id : null;
            media.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Format = "binary",
                Description = $"Server-sent events (text/event-stream): 'event: status' lines whose 'data:' is a JSON {data ?? "document"}, then 'event: end'.",
            };
        }
    }

    /// <summary>ASP.NET Core writes an <c>int?</c> or <c>bool?</c> parameter as "integer or string (a pattern)": it is bound as the number or boolean only.</summary>
    private static void TypeParameters(OpenApiOperation operation)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Schema is OpenApiSchema { Type: { } type } schema && type.HasFlag(JsonSchemaType.String) && (type & (JsonSchemaType.Integer | JsonSchemaType.Number | JsonSchemaType.Boolean)) != 0)
            {
                schema.Type = type & ~JsonSchemaType.String & ~JsonSchemaType.Null;
                schema.Pattern = null;
            }
        }
    }

    private static void Bound(OpenApiOperation operation, string name, int minimum, int maximum, string description)
    {
        if (operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == name && p.In == ParameterLocation.Query) is { Schema: OpenApiSchema schema } parameter)
        {
            parameter.Description = description;
            schema.Minimum = minimum.ToString(System.Globalization.CultureInfo.InvariantCulture);
            schema.Maximum = maximum.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
