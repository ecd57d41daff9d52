using AsyncFunctions.FunctionStacks.Compiling;
using BenchmarkDotNet.Attributes;

namespace AsyncFunctions.Benchmarks.Micro;

/// <summary>Compiling a document: JSON parse, validation with JSON paths, every expression parsed and prepared for Jint.</summary>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    [Benchmark]
    public CompileResult CompileTenStepDocument() => FunctionDocumentCompiler.Compile(MicroDocuments.TenSteps);
}
