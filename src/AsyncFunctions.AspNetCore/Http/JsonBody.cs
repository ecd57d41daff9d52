using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AsyncFunctions.AspNetCore.Http;

/// <summary>
/// Reads a JSON request body, the one way every endpoint does it: strict UTF-8, strict JSON of
/// at most <see cref="MaxDepth"/> levels, and the values <see cref="JsonBodyValues"/> allows.
/// Whatever is refused gets a 4xx naming where.
/// </summary>
public static class JsonBody
{
    public const int MaxDepth = 64;

    private const int ChunkBytes = 16 * 1024;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    /// <summary>The body as a JSON object; an empty body counts as <c>{}</c>.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
        {
            return [];
        }

        CheckContentType(request.ContentType);
        var body = await ReadAllAsync(request, cancellationToken).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return [];
        }

        CheckUtf8(body);
        using var document = Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "The body must be a JSON object", $"The body must be a JSON object, not {Describe(document.RootElement.ValueKind)}.");
        }

        JsonBodyValues.Check(document.RootElement);
        return JsonObject.Create(document.RootElement.Clone())!;
    }

    /// <summary>
    /// The body as a JSON object that holds no other top-level field than <paramref name="allowedFields"/>:
    /// an unknown field is a 400 naming its JSON path, never silently ignored.
    /// </summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, IReadOnlyCollection<string> allowedFields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(allowedFields);
        var body = await ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
        var unknown = body.Select(p => p.Key).Where(k => !allowedFields.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            var message = $"is not a field of this request; allowed: {string.Join(", ", allowedFields)}";
            var errors = unknown.ToDictionary(k => JsonBodyValues.Path([k]), _ => new[] { message }, StringComparer.Ordinal);
            throw new ApiProblemException(
                StatusCodes.Status400BadRequest,
                "The body has unknown fields",
                $"Unknown field(s) {string.Join(", ", errors.Keys)}: not fields of this request; allowed: {string.Join(", ", allowedFields)}.",
                errors);
        }

        return body;
    }

    /// <summary>No type is read as JSON; any other type than JSON in UTF-8 is 415.</summary>
    private static void CheckContentType(string? contentType)
    {
        if (contentType is null)
        {
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var type)
            || !(type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))
            || !(type.Charset.Length == 0 || HeaderUtilities.RemoveQuotes(type.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"Send the body as application/json in UTF-8, not {contentType}.");
        }
    }

    /// <summary>
    /// The whole body, refused with 413 once it passes the limit: the server's own limit does
    /// not hold everywhere (bodies without a declared length on some hosts).
    /// </summary>
    private static async Task<byte[]> ReadAllAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = request.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBodyBytes;
        var buffer = new ArrayBufferWriter<byte>(ChunkBytes);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(ChunkBytes), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                throw new ApiProblemException(
                    StatusCodes.Status413PayloadTooLarge,
                    "Request body too large",
                    $"The request body is over {limit} bytes, the limit (AsyncFunctions:Api:MaxRequestBodyBytes).");
            }
        }
    }

    private static void CheckUtf8(byte[] body)
    {
        if (Utf8.IsValid(body))
        {
            return;
        }

        var offset = 0;
        while (Rune.DecodeFromUtf8(body.AsSpan(offset), out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        var lineStart = body.AsSpan(0, offset).LastIndexOf((byte)'\n') + 1;
        var line = body.AsSpan(0, offset).Count((byte)'\n') + 1;
        throw new ApiProblemException(
            StatusCodes.Status400BadRequest,
            "The body is not valid UTF-8",
            $"The body is not valid UTF-8 at line {line}, byte {offset - lineStart + 1} (0x{body[offset]:X2} at offset {offset}).");
    }

    private static JsonDocument Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body, Options);
        }
        catch (JsonException ex)
        {
            var at = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : "";
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "The body is not valid JSON", $"The body is not valid JSON{at}: {ex.Message}");
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "a boolean",
    };
}
