using System.Diagnostics;
using System.Text.Json;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Tests.Support;
using AsyncFunctions.Functions;
using Xunit.Abstractions;
using static AsyncFunctions.FunctionStacks.Tests.JavaScriptStackTests;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>
/// Not a list of guarded built-ins: the realm is walked (every global, its prototype and their
/// prototypes), and every function found is called with texts, arrays and numbers sized to make
/// results past the memory limit. Nothing may come back larger than the limit, nothing may run
/// past the deadline, and this process's memory stays bounded. A new Jint version's new built-ins
/// are walked too.
/// </summary>
public sealed class RealmWalkTests(ITestOutputHelper output)
{
    private const long MemoryBytes = 8L * 1024 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private const string Walk = """
        const out = [], seen = new Set();
        const visit = (holder, path) => {
          if (!holder || (typeof holder !== 'object' && typeof holder !== 'function') || seen.has(holder)) return;
          seen.add(holder);
          for (const k of Object.getOwnPropertyNames(holder)) {
            const d = Object.getOwnPropertyDescriptor(holder, k);
            if (d && typeof d.value === 'function' && k !== 'constructor') out.push([path, k]);
          }
        };
        for (const g of Object.getOwnPropertyNames(globalThis)) {
          let v;
          try { v = globalThis[g]; } catch { continue; }
          if (typeof v === 'function') out.push(['globalThis', g]);
          if (v === null || (typeof v !== 'object' && typeof v !== 'function')) continue;
          visit(v, `globalThis[${JSON.stringify(g)}]`);
          visit(v.prototype, `globalThis[${JSON.stringify(g)}].prototype`);
          if (v.prototype) visit(Object.getPrototypeOf(v.prototype), `Object.getPrototypeOf(globalThis[${JSON.stringify(g)}].prototype)`);
          visit(Object.getPrototypeOf(v), `Object.getPrototypeOf(globalThis[${JSON.stringify(g)}])`);
        }
        visit(Object.getPrototypeOf([][Symbol.iterator]()), 'Object.getPrototypeOf([][Symbol.iterator]())');
        visit(Object.getPrototypeOf(function* () { }()), 'Object.getPrototypeOf(function* () { }())');
        return out;
        """;

    // Texts of a quarter of the limit, arrays of many of them, and counts far past it.
    private const string Call = """
        const big = 'x'.repeat(1e6);
        const bigArray = new Array(1000).fill(big);
        const holder = HOLDER;
        const fn = holder[KEY];
        const receivers = [holder, big, bigArray, new Uint8Array(1e5), undefined];
        const argLists = [[big], [big, big], [bigArray], [1e9], [big, 1e9], [1e9, big], [bigArray, big], [new Uint8Array(1e5), 1e9]];
        const size = v => typeof v === 'string' ? v.length * 2 : Array.isArray(v) ? v.length * 8 : (v !== null && typeof v === 'object' && typeof v.byteLength === 'number') ? v.byteLength : 0;
        let largest = 0;
        for (const r of receivers) for (const a of argLists) {
          try { largest = Math.max(largest, size(Reflect.apply(fn, r, a))); } catch (e) { }
        }
        return largest;
        """;

    public static TheoryData<string, string> Operators() => new()
    {
        { "template", "const s = 'x'.repeat(1e6); return `" + string.Concat(Enumerable.Repeat("${s}", 20)) + "`.length;" },
        { "plus", "const s = 'x'.repeat(1e6); const t = s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s; return t.charCodeAt(t.length - 1);" },
        { "spread", "const s = 'x'.repeat(1e6); return [...s, ...s, ...s].length;" },
        { "spread into a call", "const s = 'x'.repeat(1e6); return String.fromCharCode(...s, ...s, ...s).length;" },
        { "result conversion", "const s = 'x'.repeat(1e6); return new Array(100).fill(s);" },
    };

    [Theory]
    [MemberData(nameof(Operators))]
    public async Task Operators_and_the_result_conversion_fail_with_a_limit(string name, string code)
    {
        var stacks = new Stacks(o => Roomy(o.Limits));
        var started = Stopwatch.GetTimestamp();
        var ex = await Assert.ThrowsAnyAsync<FunctionException>(() => stacks.RunAsync(Stacks.Doc(Lambda(code, "r"), "\"=$var.r\"")));
        output.WriteLine($"{name}: {ex.Code} after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.00} s: {ex.Message}");
        Assert.StartsWith("limit.", ex.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_built_in_function_called_with_oversized_inputs_stays_within_the_limits()
    {
        var walked = await new Stacks(o => o.Limits.JsTimeout = TimeSpan.FromSeconds(60)).RunAsync(Stacks.Doc(Lambda(Walk, "r"), "\"=$var.r\""));
        var stacks = new Stacks(o => Roomy(o.Limits));
        var functions = walked!.AsArray().Select(f => (Holder: f![0]!.GetValue<string>(), Key: f[1]!.GetValue<string>())).ToList();
        output.WriteLine($"{functions.Count} functions in the realm");
        Assert.True(functions.Count > 300, $"only {functions.Count} functions found");

        var self = Process.GetCurrentProcess();
        var peak = 0L;
        var limited = 0;
        var slowest = TimeSpan.Zero;
        var failures = new List<string>();
        foreach (var batch in functions.Chunk(2))
        {
            await Task.WhenAll(batch.Select(async f =>
            {
                var code = Call.Replace("HOLDER", f.Holder, StringComparison.Ordinal).Replace("KEY", JsonSerializer.Serialize(f.Key), StringComparison.Ordinal);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var largest = await stacks.RunAsync(Stacks.Doc(Lambda(code, "r"), "\"=$var.r\""));
                    if (largest!.GetValue<double>() > MemoryBytes)
                    {
                        lock (failures) failures.Add($"{f.Holder}.{f.Key} returned {largest} bytes");
                    }
                }
                catch (FunctionException ex) when (ex.Code.StartsWith("limit.", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref limited);
                }

                var took = Stopwatch.GetElapsedTime(started);
                lock (failures)
                {
                    slowest = took > slowest ? took : slowest;
                    // The deadline plus the kill's grace, a wait for a process and a new process's start:
                    // generous, since a shared machine under load is many times slower. A call that the
                    // deadline did not end would run for minutes.
                    if (took > Timeout + TimeSpan.FromSeconds(30))
                    {
                        failures.Add($"{f.Holder}.{f.Key} took {took.TotalSeconds:0.0} s");
                    }
                }
            }));
            self.Refresh();
            peak = Math.Max(peak, self.WorkingSet64);
        }

        output.WriteLine($"{limited} ended with a limit; slowest {slowest.TotalSeconds:0.00} s; this process's largest working set {peak / 1024 / 1024} MB");
        Assert.Empty(failures);
        Assert.InRange(peak, 0, 1024L * 1024 * 1024);
    }

    private static void Roomy(StackLimitOptions limits) => (limits.JsMemoryBytes, limits.JsTimeout, limits.JsTotalTime) = (MemoryBytes, Timeout, TimeSpan.FromMinutes(10));
}
