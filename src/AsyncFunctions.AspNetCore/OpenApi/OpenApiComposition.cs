using AsyncFunctions.AspNetCore.Configuration;
using Scalar.AspNetCore;

namespace AsyncFunctions.AspNetCore.OpenApi;

/// <summary>The OpenAPI document (<c>/openapi/v1.json</c>) and its interactive reference (<c>/scalar</c>).</summary>
public static class OpenApiComposition
{
    public const string DocumentPath = "/openapi/v1.json";

    public const string ReferencePath = "/scalar";

    public static IServiceCollection AddApiContract(this IServiceCollection services)
    {
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<ContractDocumentTransformer>();
            o.AddOperationTransformer<ContractOperationTransformer>();
            o.AddOperationTransformer<OpenApiStatusParameter>();
            o.AddSchemaTransformer<ContractSchemaTransformer>();
        });
        return services;
    }

    /// <summary>Both need a key like the rest of the API (the fallback policy); in Development without keys, loopback callers pass.</summary>
    public static IEndpointRouteBuilder MapApiContract(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(ReferencePath, o => o
            .WithTitle("AsyncFunctions API")
            .WithOpenApiRoutePattern(DocumentPath)
            .AddPreferredSecuritySchemes(ContractDocumentTransformer.SecurityScheme));
        return app;
    }
}
