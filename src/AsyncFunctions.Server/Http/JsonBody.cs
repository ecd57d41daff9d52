using System.Text.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Http;

/// <summary>Reads a JSON request body, reporting where it is broken.</summary>
public static class JsonBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>The body as a JSON object; an empty body counts as <c>{}</c>.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
        {
            return [];
        }

        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"Send the body as application/json, not {type}.");
        }

        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, documentOptions: Options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new ApiProblemException(
                StatusCodes.Status400BadRequest,
                "The body is not valid JSON",
                $"The body is not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message}");
        }

        return node as JsonObject ?? throw new ApiProblemException(StatusCodes.Status400BadRequest, "The body must be a JSON object", "The body must be a JSON object.");
    }
}
