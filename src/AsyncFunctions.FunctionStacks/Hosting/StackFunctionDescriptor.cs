using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FlowControl;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>Builds the Core descriptor of a function stack: kind "stack", its version, inputs, retry and timeout.</summary>
public static class StackFunctionDescriptor
{
    public const string Kind = "stack";

    public static FunctionDescriptor Create(CompiledFunction function, StackServices services, int? version = null) => new()
    {
        Name = function.Name,
        Description = function.Description,
        Inputs = function.Inputs,
        Kind = Kind,
        Version = version,
        Retry = function.Retry,
        Timeout = function.Timeout,
        CallbackUrl = function.CallbackUrl,
        Flow = Flow(function.Flow, function.FlowLimits, services),
        Body = new StackFunctionBody(function, services, version),
    };

    /// <summary>The queue, with every flow key (limits and debounce) evaluated by one <see cref="StackFlowKey"/>.</summary>
    private static FunctionFlow Flow(FunctionFlow queue, FlowDeclaration declared, StackServices services)
    {
        FlowKey? Key(CompiledScript? script) => script is null ? null : new StackFlowKey(script, services);
        return queue with
        {
            Concurrency = declared.Concurrency.Select(c => new ConcurrencyLimit(c.Limit, Key(c.Key))).ToList(),
            RateLimit = declared.RateLimit is { } rate ? new RateLimit(rate.Limit, rate.PeriodSeconds, Key(rate.Key)) : null,
            HoldWhileAwaiting = declared.HoldWhileAwaiting,
            Debounce = declared.Debounce is { } debounce ? new DebounceRule(debounce.PeriodSeconds, Key(debounce.Key)) : null,
        };
    }

    /// <summary>A descriptor for a stored document that does not compile; running it fails with <c>stack.invalid</c>.</summary>
    public static FunctionDescriptor Invalid(string name, int? version, IReadOnlyList<DocumentProblem> problems) => new()
    {
        Name = name,
        Description = "This stored document does not compile.",
        Kind = Kind,
        Version = version,
        Body = new InvalidStackBody(name, problems),
    };
}
