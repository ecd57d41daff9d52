using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AsyncFunctions.AspNetCore.Configuration;

/// <summary>
/// The <c>status</c> filter of the executions list, in the OpenAPI document, as the enumeration of
/// every status (<c>Awaiting</c> included) rather than a free string.
/// </summary>
internal sealed class OpenApiStatusParameter : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is OpenApiParameter { Name: "status", In: ParameterLocation.Query } status)
            {
                status.Description = "Only executions with this status.";
                status.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. Enum.GetNames<ExecutionStatus>().Select(n => (JsonNode)JsonValue.Create(n)!)],
                };
            }
        }

        return Task.CompletedTask;
    }
}
