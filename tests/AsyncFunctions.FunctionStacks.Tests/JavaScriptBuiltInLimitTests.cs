using AsyncFunctions.FunctionStacks.Tests.Support;
using static AsyncFunctions.FunctionStacks.Tests.JavaScriptStackTests;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>
/// Built-ins that allocate or work in one call are held to the memory limit and the array length
/// limit before they start, where the engine alone would check only after the call.
/// </summary>
public sealed class JavaScriptBuiltInLimitTests
{
    [Theory]
    [InlineData("return new Float64Array(2.5e8).sort().length;")]
    [InlineData("return new ArrayBuffer(1e9).byteLength;")]
    [InlineData("return Uint8Array.fromBase64('AAAA'.repeat(5e5)).sort().length;")]
    [InlineData("return Uint8Array.fromHex('00'.repeat(2e6)).length;")]
    [InlineData("return new ArrayBuffer(8, { maxByteLength: 1e9 }).byteLength;")]
    [InlineData("return new ArrayBuffer(8).transfer(1e9).byteLength;")]
    [InlineData("return new Uint8Array(new ArrayBuffer(4e6)).sort().length;")]
    [InlineData("return Float64Array.from({ length: 2e6 }).length;")]
    [InlineData("return new (new Float64Array(1).constructor)(2.5e8).length;")]
    [InlineData("class Big extends Float64Array { } return new Big(2.5e8).length;")]
    [InlineData("return new Float64Array(1e6).map(x => x).subarray(0).length + new Float64Array({ length: 2e6 }).length;")]
    [InlineData("return [new Float64Array(1e6), new Float64Array(1e6), new Float64Array(1e6), new Float64Array(1e6), new Float64Array(1e6)].length;")]
    [InlineData("return 'x'.repeat(5e8).length;")]
    [InlineData("return ''.padEnd(5e8, 'x').length;")]
    [InlineData("return new Array(2e6).fill(0).length;")]
    public Task Oversized_allocations_are_refused_before_they_are_made(string code) =>
        AssertFailsWith("limit.js_memory", Lambda(code), l => (l.JsMemoryBytes, l.JsTimeout) = (32L * 1024 * 1024, TimeSpan.FromMinutes(2)));

    [Fact]
    public async Task A_length_that_changes_between_reads_is_read_once()
    {
        var output = await new Stacks().RunAsync(Stacks.Doc(Lambda(
            """
            const liar = (small, large) => { let reads = 0; return () => reads++ ? large : small; };
            const length = liar(1, 2.5e8), bytes = liar(8, 2.5e9), count = liar(2, 1e9);
            return [new Float64Array({ get length() { return length(); } }).length, new ArrayBuffer({ valueOf: bytes }).byteLength, 'ab'.repeat({ valueOf: count })];
            """, "r"), "\"=$var.r\""));
        Assert.Equal("""[1,8,"abab"]""", output!.ToJsonString());
    }

    [Fact]
    public async Task Typed_arrays_and_buffers_still_behave_as_built_ins()
    {
        var output = await new Stacks().RunAsync(Stacks.Doc(Lambda(
            """
            const sorted = new Float64Array([3, 1, 2]).sort();
            const view = new Uint8Array(new ArrayBuffer(8), 2, 4);
            view.set([1, 2, 3, 4]);
            const buffer = new ArrayBuffer(2, { maxByteLength: 16 });
            buffer.resize(12);
            class Mine extends Int16Array { }
            return {
              sorted: Array.from(sorted),
              view: Array.from(view.subarray(1, 3)),
              resized: buffer.byteLength,
              copied: Array.from(new Int32Array(new Int8Array([-1, 5]))),
              from: Array.from(Uint8Array.from(new Set([7, 8]))),
              instance: sorted instanceof Float64Array && new Mine(2) instanceof Int16Array && sorted.constructor === Float64Array,
              names: [Float64Array.name, ArrayBuffer.prototype.resize.name, String.prototype.repeat.name],
              text: ['ab'.repeat(2), '5'.padStart(3, '0'), 'x'.padEnd(2)],
              removed: [typeof ShadowRealm, typeof SharedArrayBuffer],
              decoded: Array.from(Uint8Array.fromHex('0aff')),
              replaced: (() => { Float32Array = 1; return Float32Array; })()
            };
            """, "r"), "\"=$var.r\""));
        Assert.Equal(
            """{"sorted":[1,2,3],"view":[2,3],"resized":12,"copied":[-1,5],"from":[7,8],"instance":true,"names":["Float64Array","resize","repeat"],"text":["abab","005","x "],"removed":["undefined","undefined"],"decoded":[10,255],"replaced":1}""",
            output!.ToJsonString());
    }

    [Fact]
    public async Task Allowed_sizes_follow_the_settings()
    {
        var stacks = new Stacks(o => o.Limits.JsArrayLength = 1000);
        var output = await stacks.RunAsync(Stacks.Doc(Lambda("return [new Uint8Array(1000).length, new ArrayBuffer(8000).byteLength, new Array(1000).length];", "r"), "\"=$var.r\""));
        Assert.Equal("[1000,8000,1000]", output!.ToJsonString());

        await AssertFailsWith("limit.js_memory", Lambda("return new Uint8Array(1001).length;"), l => l.JsArrayLength = 1000);
        await AssertFailsWith("limit.js_memory", Lambda("return new Uint8Array(new ArrayBuffer(8000)).length;"), l => l.JsArrayLength = 1000);
        await AssertFailsWith("limit.js_memory", Lambda("return Array.from({ length: 1001 }).length;"), l => l.JsArrayLength = 1000);
    }

    [Fact]
    public async Task Atomics_wait_cannot_block_the_thread()
    {
        var output = await new Stacks().RunAsync(Stacks.Doc(Lambda(
            "try { return Atomics.wait(new Int32Array(4), 0, 0, 1e9); } catch (e) { return e.constructor.name; }", "r"), "\"=$var.r\""));
        Assert.Equal("TypeError", output!.GetValue<string>());
    }
}
