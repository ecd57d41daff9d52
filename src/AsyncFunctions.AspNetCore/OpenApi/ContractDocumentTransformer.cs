using AsyncFunctions.Executions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace AsyncFunctions.AspNetCore.OpenApi;

/// <summary>
/// The document's description, the API-key security scheme, the tags, and the health endpoints
/// (health checks are not route handlers, so the generator does not see them).
/// </summary>
internal sealed class ContractDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string SecurityScheme = "apiKey";

    public const string Unauthorized = "Unauthorized";

    public const string TooManyRequests = "TooManyRequests";

    public const string DatabaseUnavailable = "DatabaseUnavailable";

    /// <summary>Schemas that transformers refer to by name, added when no endpoint's metadata brought them in.</summary>
    private static readonly Type[] ReferencedSchemas = [typeof(Problem), typeof(ExecutionRecord), typeof(SyncExecutionResult)];

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "AsyncFunctions API",
            Version = "v1",
            Description = "Starts functions (C# functions and function stacks) asynchronously, reads, awaits, cancels and retries their executions, and saves function stacks. Every error is an RFC 7807 problem document (application/problem+json).",
        };
        // The server is the address the document was asked at, written with a trailing slash that
        // would double the slash before every path.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        document.Components ??= new OpenApiComponents();
        foreach (var type in ReferencedSchemas)
        {
            if (document.Components.Schemas?.ContainsKey(type.Name) != true)
            {
                document.AddComponent<IOpenApiSchema>(type.Name, await context.GetOrCreateSchemaAsync(type, cancellationToken: cancellationToken).ConfigureAwait(false));
            }
        }

        JsonValueSchemas.Inline(document);
        document.Components.Responses ??= new Dictionary<string, IOpenApiResponse>();
        document.Components.Responses[Unauthorized] = ProblemResponse(document, "No API key, or not a valid one: send 'Authorization: Bearer <key>'.", HeaderNames.WWWAuthenticate, "Bearer, with error=\"invalid_token\" when a key was sent but is not valid.");
        document.Components.Responses[TooManyRequests] = ProblemResponse(document, "Too many requests: this key made more requests than its role's rate allows (AsyncFunctions:RateLimits); or, for a sync run, the function's concurrency or rate limit is full (code flow.limit_full).", HeaderNames.RetryAfter, "Seconds to wait before the next request.");
        document.Components.Responses[DatabaseUnavailable] = ProblemResponse(document, "The database could not serve the request now (out of connections, a lost or refused connection, a time-out): code database_unavailable. Send it again after Retry-After.", HeaderNames.RetryAfter, "Seconds to wait before sending the request again.");
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecurityScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key of AsyncFunctions:ApiKeys, sent as 'Authorization: Bearer <key>'. Its role decides what it may do: admin everything; invoker starts executions and sees only the ones its key started; viewer reads. Without configured keys, in Development, requests from the machine itself need none.",
        };
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Functions", Description = "The functions (C# and function stacks): list, read, save, delete and start." },
            new() { Name = "Executions", Description = "Executions: read, list, long-poll, await, cancel and retry." },
            new() { Name = "Health", Description = "Liveness and readiness; no key needed." },
        };
        document.Paths ??= [];
        document.Paths["/health/live"] = Health(document, "getLiveness", "Liveness", "200 as long as the process answers; no check runs.");
        document.Paths["/health/ready"] = Health(document, "getReadiness", "Readiness", "200 when the results store answers and its schema is applied, 503 otherwise.");
        document.Paths["/health"] = Health(document, "getHealth", "Readiness (alias)", "The same as /health/ready.");
    }

    private static OpenApiResponse ProblemResponse(OpenApiDocument document, string description, string header, string headerDescription) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [ApiContract.ProblemJson] = new() { Schema = new OpenApiSchemaReference(nameof(Problem), document) } },
        Headers = new Dictionary<string, IOpenApiHeader>
        {
            [header] = new OpenApiHeader { Description = headerDescription, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
        },
    };

    private static OpenApiPathItem Health(OpenApiDocument document, string operationId, string summary, string description)
    {
        static OpenApiResponse Text(string description) => new()
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                // A plain string, not an enumeration: generators read a text/plain answer as a string, and would not parse it into an enum.
                ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Healthy, Degraded or Unhealthy." } },
            },
        };

        var operation = new OpenApiOperation
        {
            OperationId = operationId,
            Summary = summary,
            Description = description,
            Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
            Security = [],
            Responses = new OpenApiResponses
            {
                ["200"] = Text("Healthy (or degraded)."),
                ["503"] = Text("Unhealthy."),
            },
        };
        return new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = operation } };
    }
}
