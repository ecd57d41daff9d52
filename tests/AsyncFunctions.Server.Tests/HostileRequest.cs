using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace AsyncFunctions.Server.Tests;

/// <summary>One malformed or hostile request and the 4xx it must be answered with.</summary>
/// <param name="Mentions">Text the problem's <c>detail</c> must contain, to show the answer names the problem.</param>
/// <param name="Chunked">Send the body without a Content-Length, so its size is only known while reading.</param>
public sealed record HostileRequest(
    HttpMethod Method,
    string Path,
    HttpStatusCode Status,
    byte[]? Body = null,
    string? ContentType = "application/json",
    string? Mentions = null,
    bool Chunked = false)
{
    /// <summary>A body from parts: strings are sent as UTF-8, byte arrays as they are (for invalid UTF-8).</summary>
    public static byte[] Bytes(params object[] parts) =>
        parts.SelectMany(p => p as byte[] ?? Encoding.UTF8.GetBytes((string)p)).ToArray();

    /// <summary>UTF-8 of <paramref name="json"/> with <paramref name="bytes"/> in place of its '§'.</summary>
    public static byte[] Spliced(string json, byte[] bytes)
    {
        var at = json.IndexOf('§', StringComparison.Ordinal);
        return Bytes(json[..at], bytes, json[(at + 1)..]);
    }

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, new Uri(Path, UriKind.Relative));
        if (Body is not null)
        {
            HttpContent content = Chunked ? new StreamContent(new UnseekableStream(Body)) : new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }

            message.Content = content;
            message.Headers.TransferEncodingChunked = Chunked;
        }

        return message;
    }

    /// <summary>A stream without a length, so the client cannot declare one.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
