using AsyncFunctions.FunctionStacks.Runtime;
using BenchmarkDotNet.Attributes;

namespace AsyncFunctions.Benchmarks.Micro;

/// <summary>Whole runs of stacks compiled once: an empty one, ten literal steps, and ten steps with expressions.</summary>
[MemoryDiagnoser]
public class StackBenchmarks
{
    private StackHarness _empty = null!;
    private StackHarness _literal = null!;
    private StackHarness _tenSteps = null!;

    [GlobalSetup]
    public void Setup()
    {
        _empty = new StackHarness(MicroDocuments.Empty);
        _empty.Check(0, "none", "null");
        _literal = new StackHarness(MicroDocuments.TenLiteralSteps);
        _literal.Check(10, "v9", "\"nine\"");
        _tenSteps = new StackHarness(MicroDocuments.TenSteps, MicroDocuments.Input());
        _tenSteps.Check(10, "summary", """{"id":"order-7","total":12,"count":2}""");
    }

    [Benchmark]
    public Task<StackRunResult> EmptyStack() => _empty.RunAsync();

    [Benchmark]
    public Task<StackRunResult> TenLiteralSteps() => _literal.RunAsync();

    [Benchmark]
    public Task<StackRunResult> TenStepStack() => _tenSteps.RunAsync();
}
