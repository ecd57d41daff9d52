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
    [InlineData("const s = 'x'.repeat(1e6); return new Array(1000).fill(s).join('').length;")]
    [InlineData("const s = 'x'.repeat(1e6); return JSON.stringify(new Array(1000).fill(s)).length;")]
    [InlineData("const s = 'x'.repeat(1e6); return JSON.stringify(new Array(1000).fill(s), (k, v) => v).length;")]
    [InlineData("const s = 'x'.repeat(1e6); return new Array(1000).fill(s);")]
    [InlineData("const s = 'x'.repeat(1e6); return s.concat(s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s).length;")]
    public Task Oversized_allocations_are_refused_before_they_are_made(string code) =>
        LimitAssert.FailsWith("limit.js_memory", Lambda(code), l => (l.JsMemoryBytes, l.JsTimeout) = (32L * 1024 * 1024, TimeSpan.FromMinutes(2)));

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
              text: ['ab'.repeat(2), '5'.padStart(3, '0'), 'x'.padEnd(2), 'a'.concat(1, null), [1, null, undefined, 'a', [2, 3]].join('-'),
                Array.prototype.join.call({ length: 2, 0: 'x', 1: 'y' }), String([1, 2]), [].join(), Array.prototype.join.length],
              removed: [typeof ShadowRealm, typeof SharedArrayBuffer],
              decoded: Array.from(Uint8Array.fromHex('0aff')),
              replaced: (() => { Float32Array = 1; return Float32Array; })()
            };
            """, "r"), "\"=$var.r\""));
        Assert.Equal(
            """{"sorted":[1,2,3],"view":[2,3],"resized":12,"copied":[-1,5],"from":[7,8],"instance":true,"names":["Float64Array","resize","repeat"],"text":["abab","005","x ","a1null","1---a-2,3","x,y","1,2","",1],"removed":["undefined","undefined"],"decoded":[10,255],"replaced":1}""",
            output!.ToJsonString());
    }

    [Fact]
    public async Task Json_stringify_still_behaves_as_the_built_in()
    {
        var output = await new Stacks().RunAsync(Stacks.Doc(Lambda(
            """
            const value = { a: [1, 'x', null, undefined, () => 1], b: undefined, d: new Date(0), n: { toJSON() { return 'n'; } } };
            return [
              JSON.stringify(value),
              JSON.stringify(value, (k, v) => typeof v === 'number' ? v * 10 : v),
              JSON.stringify(value, ['a', 'n']),
              JSON.stringify([1], null, 2),
              String(JSON.stringify(undefined)),
              JSON.stringify.name + JSON.stringify.length
            ];
            """, "r"), "\"=$var.r\""));
        Assert.Equal(
            [
                """{"a":[1,"x",null,null,null],"d":"1970-01-01T00:00:00.000Z","n":"n"}""",
                """{"a":[10,"x",null,null,null],"d":"1970-01-01T00:00:00.000Z","n":"n"}""",
                """{"a":[1,"x",null,null,null],"n":"n"}""",
                "[\n  1\n]",
                "undefined",
                "stringify3",
            ],
            output!.AsArray().Select(item => item!.GetValue<string>()));
    }

    [Fact]
    public async Task Allowed_sizes_follow_the_settings()
    {
        var stacks = new Stacks(o => o.Limits.JsArrayLength = 1000);
        var output = await stacks.RunAsync(Stacks.Doc(Lambda(
            "const a = []; for (let i = 0; i < 1000; i++) a.push(i); return [new Uint8Array(1000).length, new ArrayBuffer(8000).byteLength, a.length];", "r"), "\"=$var.r\""));
        Assert.Equal("[1000,8000,1000]", output!.ToJsonString());

        await LimitAssert.FailsWith("limit.js_memory", Lambda("return new Uint8Array(1001).length;"), l => l.JsArrayLength = 1000);
        await LimitAssert.FailsWith("limit.js_memory", Lambda("return new Uint8Array(new ArrayBuffer(8000)).length;"), l => l.JsArrayLength = 1000);
        await LimitAssert.FailsWith("limit.js_memory", Lambda("return Array.from({ length: 1025 }).length;"), l => l.JsArrayLength = 1000);
    }

    [Fact]
    public async Task Atomics_wait_cannot_block_the_thread()
    {
        var output = await new Stacks().RunAsync(Stacks.Doc(Lambda(
            "try { return Atomics.wait(new Int32Array(4), 0, 0, 1e9); } catch (e) { return e.constructor.name; }", "r"), "\"=$var.r\""));
        Assert.Equal("TypeError", output!.GetValue<string>());
    }
}
