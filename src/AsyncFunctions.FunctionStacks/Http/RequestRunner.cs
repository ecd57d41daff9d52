using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Http;

/// <summary>Sends the HTTP request of a request step and shapes the answer as <c>{ status, headers, body }</c>.</summary>
internal sealed class RequestRunner(FunctionStacksOptions options, IHttpClientFactory? factory)
{
    public const string ClientName = "AsyncFunctions.FunctionStacks.Request";

    private readonly Lazy<HttpClient> _ownClient = new(() => new HttpClient(GuardedHandler.Create(options)) { Timeout = Timeout.InfiniteTimeSpan });

    public async Task<JsonObject> SendAsync(HttpRequestMessage request, TimeSpan timeout, int maxBodyBytes, string path, CancellationToken cancellationToken)
    {
        var client = factory?.CreateClient(ClientName) ?? _ownClient.Value;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var headers = new JsonObject();
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                headers[name.ToLowerInvariant()] = string.Join(", ", values);
            }

            var (body, jsonError) = await ReadBodyAsync(response.Content, maxBodyBytes, path, deadline.Token).ConfigureAwait(false);
            var result = new JsonObject { ["status"] = (int)response.StatusCode, ["headers"] = headers, ["body"] = body };
            if (jsonError is not null)
            {
                result["jsonError"] = jsonError;
            }

            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StackErrorException(StackErrorCodes.RequestTimeout,
                $"The request at {path} to {request.RequestUri?.Host} took longer than {timeout.TotalSeconds} s.",
                new JsonObject { ["url"] = request.RequestUri?.ToString() });
        }
        catch (HttpRequestException ex) when (Find<ForbiddenHostException>(ex) is { } forbidden)
        {
            throw new StackErrorException(StackErrorCodes.RequestForbiddenHost, forbidden.Message, new JsonObject { ["host"] = forbidden.Host });
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidDataException)
        {
            // IOException: the connection broke while the body was read; InvalidDataException: a corrupt compressed body.
            throw new StackErrorException(StackErrorCodes.RequestFailed,
                $"The request at {path} to {request.RequestUri?.Host} failed: {ex.Message}",
                new JsonObject { ["url"] = request.RequestUri?.ToString() });
        }
    }

    /// <returns>The body (null when empty), and why a body that says it is JSON is kept as text (see <see cref="JsonResponseBody"/>).</returns>
    private static async Task<(JsonNode? Body, string? JsonError)> ReadBodyAsync(HttpContent content, int maxBytes, string path, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes, path);
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(maxBytes, path);
                }

                buffer.Write(chunk, 0, read);
            }

            if (buffer.Length == 0)
            {
                return (null, null);
            }

            var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            var encoding = Encoding(content.Headers.ContentType);
            if (IsJson(content.Headers.ContentType))
            {
                var json = JsonResponseBody.Read(bytes, encoding);
                return (json.Value, json.Problem is null ? null : $"{path}: {json.Problem}; the body is kept as text");
            }

            return (JsonValue.Create(encoding.GetString(bytes)), null);
        }
    }

    private static FunctionException TooLarge(int maxBytes, string path) =>
        new(StackErrorCodes.LimitVariableSize, $"The response body of the request at {path} is larger than {maxBytes} bytes (limit.variable_size).");

    private static bool IsJson(MediaTypeHeaderValue? type) =>
        type?.MediaType is { } media && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static Encoding Encoding(MediaTypeHeaderValue? type)
    {
        try
        {
            return type?.CharSet is { Length: > 0 } charset ? System.Text.Encoding.GetEncoding(charset.Trim('"')) : System.Text.Encoding.UTF8;
        }
        catch (ArgumentException)
        {
            return System.Text.Encoding.UTF8;
        }
    }

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
