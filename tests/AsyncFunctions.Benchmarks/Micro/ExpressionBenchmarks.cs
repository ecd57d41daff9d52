using AsyncFunctions.FunctionStacks.Runtime;
using BenchmarkDotNet.Attributes;

namespace AsyncFunctions.Benchmarks.Micro;

/// <summary>
/// <see cref="MicroDocuments.Expression"/> evaluated by a var step, once and ten times in a run.
/// The first expression of a run also sets up that run's Jint engine; the difference between the
/// two, divided by nine, is what each further expression step costs.
/// </summary>
[MemoryDiagnoser]
public class ExpressionBenchmarks
{
    private StackHarness _one = null!;
    private StackHarness _ten = null!;

    [GlobalSetup]
    public void Setup()
    {
        _one = new StackHarness(MicroDocuments.OneExpression, MicroDocuments.Input());
        _one.Check(2, "r0", "19");
        _ten = new StackHarness(MicroDocuments.TenExpressions, MicroDocuments.Input());
        _ten.Check(11, "r9", "19");
    }

    [Benchmark]
    public Task<StackRunResult> OneExpression() => _one.RunAsync();

    [Benchmark]
    public Task<StackRunResult> TenExpressions() => _ten.RunAsync();
}
