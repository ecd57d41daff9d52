using AsyncFunctions.FunctionStacks.Runtime;
using BenchmarkDotNet.Attributes;

namespace AsyncFunctions.Benchmarks.Micro;

/// <summary>A run of a literal step and a multi-line lambda (a loop over five objects, string and number work).</summary>
[MemoryDiagnoser]
public class LambdaBenchmarks
{
    private StackHarness _lambda = null!;

    [GlobalSetup]
    public void Setup()
    {
        _lambda = new StackHarness(MicroDocuments.Lambda);
        _lambda.Check(2, "result", "{\"byId\":{\"1\":{\"name\":\"ANN\",\"adult\":true},\"2\":{\"name\":\"BOB\",\"adult\":false},\"3\":{\"name\":\"CY\",\"adult\":true},\"4\":{\"name\":\"DEE\",\"adult\":true},\"5\":{\"name\":\"EVE\",\"adult\":true}},\"average\":34.6}");
    }

    [Benchmark]
    public Task<StackRunResult> LambdaStep() => _lambda.RunAsync();
}
