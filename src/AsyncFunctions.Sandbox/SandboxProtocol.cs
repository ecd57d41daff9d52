using System.Buffers.Binary;
using System.Text.Json;

namespace AsyncFunctions.Sandbox;

/// <summary>
/// Frames between the server and a sandbox process: a 4-byte little-endian length, then the
/// payload. A request is one JSON object; a reply is one flag byte (error, last) and then the value
/// as JSON (empty for null) or the error as JSON.
/// </summary>
public static class SandboxProtocol
{
    /// <summary>The first frame a process writes once it can take requests.</summary>
    public static readonly byte[] Ready = "ready"u8.ToArray();

    private const byte ErrorFlag = 1;
    private const byte LastFlag = 2;

    // Values reach 900 levels (the highest JsDepth) inside the request's own object.
    private static readonly JsonDocumentOptions Document = new() { MaxDepth = 1000 };
    private static readonly JsonWriterOptions Writer = new() { SkipValidation = true };

    public static async Task WriteFrameAsync(Stream stream, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a frame, blocking: for the sandbox process's own evaluation thread.</summary>
    public static void WriteFrame(Stream stream, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        stream.Write(header);
        stream.Write(payload);
        stream.Flush();
    }

    /// <summary>Reads the next frame, blocking (null at the end of the stream): for the sandbox process's own evaluation thread.</summary>
    public static byte[]? ReadFrame(Stream stream)
    {
        var header = new byte[4];
        if (!Fill(stream, header))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 0)
        {
            throw new InvalidDataException($"A sandbox frame of {length} bytes.");
        }

        var payload = new byte[length];
        return Fill(stream, payload) ? payload : null;
    }

    /// <summary>The next frame, or null at the end of the stream.</summary>
    public static async Task<byte[]?> ReadFrameAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var header = new byte[4];
        if (!await FillAsync(stream, header, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 0)
        {
            throw new InvalidDataException($"A sandbox frame of {length} bytes.");
        }

        var payload = new byte[length];
        return await FillAsync(stream, payload, cancellationToken).ConfigureAwait(false) ? payload : null;
    }

    public static byte[] EncodeRequest(SandboxRequest request)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256 + request.Source.Length + request.VarJson.Length + request.InputJson.Length);
        using (var writer = new Utf8JsonWriter(buffer, Writer))
        {
            writer.WriteStartObject();
            writer.WriteString("path", request.Path);
            writer.WriteString("source", request.Source);
            writer.WriteBoolean("lambda", request.IsLambda);
            writer.WriteNumber("timeoutMs", request.Limits.TimeoutMilliseconds);
            writer.WriteNumber("memoryBytes", request.Limits.MemoryBytes);
            writer.WriteNumber("recursion", request.Limits.Recursion);
            writer.WriteNumber("depth", request.Limits.Depth);
            writer.WriteNumber("arrayLength", request.Limits.ArrayLength);
            writer.WritePropertyName("input");
            writer.WriteRawValue(request.InputJson, skipInputValidation: true);
            writer.WritePropertyName("env");
            writer.WriteRawValue(request.EnvJson, skipInputValidation: true);
            writer.WritePropertyName("auth");
            writer.WriteRawValue(request.AuthJson, skipInputValidation: true);
            writer.WritePropertyName("var");
            writer.WriteRawValue(request.VarJson, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static SandboxRequest DecodeRequest(byte[] frame)
    {
        using var document = JsonDocument.Parse(frame, Document);
        var root = document.RootElement;
        return new SandboxRequest(
            root.GetProperty("path").GetString()!,
            root.GetProperty("source").GetString()!,
            root.GetProperty("lambda").GetBoolean(),
            root.GetProperty("input").GetRawText(),
            root.GetProperty("env").GetRawText(),
            root.GetProperty("auth").GetRawText(),
            root.GetProperty("var").GetRawText(),
            new SandboxLimits
            {
                TimeoutMilliseconds = root.GetProperty("timeoutMs").GetDouble(),
                MemoryBytes = root.GetProperty("memoryBytes").GetInt64(),
                Recursion = root.GetProperty("recursion").GetInt32(),
                Depth = root.GetProperty("depth").GetInt32(),
                ArrayLength = root.GetProperty("arrayLength").GetInt32(),
            });
    }

    public static byte[] EncodeReply(SandboxResult result, bool last)
    {
        var flags = (byte)((result.Error is null ? 0 : ErrorFlag) | (last ? LastFlag : 0));
        var body = result.Error is { } error ? JsonSerializer.SerializeToUtf8Bytes(error) : result.Json ?? [];
        var frame = new byte[body.Length + 1];
        frame[0] = flags;
        body.CopyTo(frame, 1);
        return frame;
    }

    /// <summary>The result in a reply frame, and whether the process ends after it.</summary>
    public static (SandboxResult Result, bool Last) DecodeReply(byte[] frame)
    {
        var flags = frame[0];
        var body = frame.AsSpan(1);
        var result = (flags & ErrorFlag) != 0
            ? SandboxResult.Failed(JsonSerializer.Deserialize<SandboxError>(body) ?? throw new InvalidDataException("A sandbox reply without its error."))
            : new SandboxResult(body.IsEmpty ? null : body.ToArray(), null);
        return (result, (flags & LastFlag) != 0);
    }

    private static bool Fill(Stream stream, Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer[read..]);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private static async Task<bool> FillAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer[read..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
