using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>Measures a value as UTF-8 JSON without building the text: the bytes are counted, not kept.</summary>
internal static class JsonSize
{
    [ThreadStatic]
    private static CountingWriter? t_writer;

    public static long Of(JsonNode? value)
    {
        if (value is null)
        {
            return 4;
        }

        var counter = t_writer ??= new CountingWriter();
        counter.Count = 0;
        using (var writer = new Utf8JsonWriter(counter))
        {
            value.WriteTo(writer);
        }

        return counter.Count;
    }

    private sealed class CountingWriter : IBufferWriter<byte>
    {
        private byte[] _buffer = new byte[4096];

        public long Count { get; set; }

        public void Advance(int count) => Count += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Buffer(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Buffer(sizeHint);

        private byte[] Buffer(int sizeHint)
        {
            if (sizeHint > _buffer.Length)
            {
                _buffer = new byte[Math.Max(sizeHint, _buffer.Length * 2)];
            }

            return _buffer;
        }
    }
}
