using AsyncFunctions.FunctionStacks.Runtime;
using BenchmarkDotNet.Attributes;

namespace AsyncFunctions.Benchmarks.Micro;

/// <summary>
/// <see cref="MicroDocuments.Expression"/> evaluated by a var step, once and ten times in a run.
/// The first expression of a run also sets up that run's Jint engine; the difference between the
/// two, divided by nine, is what each further expression step costs. The calling expressions
/// (<see cref="MicroDocuments.CallingExpression"/>) are evaluated in a sandbox process each.
/// </summary>
[MemoryDiagnoser]
public class ExpressionBenchmarks
{
    private StackHarness _one = null!;
    private StackHarness _ten = null!;
    private StackHarness _oneCalling = null!;
    private StackHarness _tenCalling = null!;

    [GlobalSetup]
    public void Setup()
    {
        _one = new StackHarness(MicroDocuments.OneExpression, MicroDocuments.Input());
        _one.Check(2, "r0", "19");
        _ten = new StackHarness(MicroDocuments.TenExpressions, MicroDocuments.Input());
        _ten.Check(11, "r9", "19");
        _oneCalling = new StackHarness(MicroDocuments.OneCallingExpression, MicroDocuments.Input());
        _oneCalling.Check(2, "r0", "9");
        _tenCalling = new StackHarness(MicroDocuments.TenCallingExpressions, MicroDocuments.Input());
        _tenCalling.Check(11, "r9", "9");
    }

    [Benchmark]
    public Task<StackRunResult> OneExpression() => _one.RunAsync();

    [Benchmark]
    public Task<StackRunResult> TenExpressions() => _ten.RunAsync();

    [Benchmark]
    public Task<StackRunResult> OneCallingExpression() => _oneCalling.RunAsync();

    [Benchmark]
    public Task<StackRunResult> TenCallingExpressions() => _tenCalling.RunAsync();
}
