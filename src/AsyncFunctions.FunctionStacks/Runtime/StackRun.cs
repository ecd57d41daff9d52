using System.Diagnostics;
using AsyncFunctions.Telemetry;
using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>One run of a stack over a <see cref="StackState"/>: the step loop, unwinding and variables.</summary>
internal sealed partial class StackRun(
    CompiledFunction function,
    StackServices services,
    StackState state,
    FunctionContext context,
    bool suspendAtAwait,
    CancellationToken cancellationToken) : IDisposable
{
    private readonly StackLimitOptions _limits = services.Options.Limits;
    private JsEvaluator? _js;

    // Sizes of the variables as JSON and their total, for limit.state_size; measured again after a resume.
    private Dictionary<string, long>? _sizes;
    private long _stateBytes;

    private JsEvaluator Js => _js ??= new JsEvaluator(
        _limits,
        InputValidator.ValidateOrThrow(context.Input, function.Inputs),
        new JsonObject(services.Options.Env.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value)))),
        state,
        services.Sandboxes,
        cancellationToken);

    public void Dispose() => _js?.Dispose();

    public async Task<StackRunResult> RunAsync()
    {
        CheckState();
        if (await ResumeAsync().ConfigureAwait(false))
        {
            return new StackRunResult(false, null, state);
        }

        while (state.Frames.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var frame = state.Frames[^1];
            var block = BlockAt(frame.Block);
            try
            {
                if (frame.Pc >= block.Steps.Count)
                {
                    await EndOfBlockAsync(frame).ConfigureAwait(false);
                    continue;
                }

                var step = block.Steps[frame.Pc];
                frame.Pc++;
                CountStep(step.Path);
                if (await step.Kind.Run(this, step).ConfigureAwait(false))
                {
                    return new StackRunResult(false, null, state);
                }
            }
            catch (StackErrorException ex)
            {
                Unwind(new Completion(CompletionKind.Error, ex.Error));
            }
        }

        var output = state.HasReturned ? state.Returned : function.Response is null ? null : await EvaluateAsync(function.Response).ConfigureAwait(false);
        var size = SizeOf(output);
        if (size > _limits.OutputBytes)
        {
            throw new FunctionException(StackErrorCodes.LimitOutputSize, $"The response is {size} bytes of JSON; the limit is {_limits.OutputBytes} (limit.output_size).");
        }

        return new StackRunResult(true, output, state);
    }

    /// <summary>
    /// Continues a suspended await or sleep, if the state holds one; true when it must suspend
    /// again (woken before its time, with time left).
    /// </summary>
    private async Task<bool> ResumeAsync()
    {
        try
        {
            if (state.Await is { } pending)
            {
                state.Await = null;
                return await FinishAwaitAsync(pending, resumed: true).ConfigureAwait(false);
            }

            if (state.Sleep is { } sleep)
            {
                state.Sleep = null;
                return await SleepUntilAsync(sleep).ConfigureAwait(false);
            }
        }
        catch (StackErrorException ex)
        {
            Unwind(new Completion(CompletionKind.Error, ex.Error));
        }

        return false;
    }

    /// <summary>A span for a step that reaches outside (request, query), under the execution's run span.</summary>
    private Activity? StepSpan(string name, ActivityKind kind, string path)
    {
        var activity = ExecutionTelemetry.Source.StartActivity(name, kind);
        activity?.SetTag("asyncfunctions.execution.id", context.ExecutionId);
        activity?.SetTag("asyncfunctions.step", path);
        return activity;
    }

    /// <summary>Counts one step against limit.steps; an iteration of a loop with an empty body counts as one too.</summary>
    private void CountStep(string path)
    {
        if (++state.StepsRun > _limits.Steps)
        {
            throw new FunctionException(StackErrorCodes.LimitSteps, $"The execution ran more than {_limits.Steps} steps (limit.steps); it stopped at {path}.");
        }
    }

    private void CheckState()
    {
        if (state.Format != StackState.CurrentFormat)
        {
            throw new FunctionException(StackErrorCodes.BadState, $"The state has format {state.Format}; this interpreter reads format {StackState.CurrentFormat}.");
        }

        if (state.Function != function.Name)
        {
            throw new FunctionException(StackErrorCodes.BadState, $"The state belongs to '{state.Function}', not '{function.Name}'.");
        }

        foreach (var frame in state.Frames)
        {
            if (function.FindBlock(frame.Block) is null || (frame.Kind != FrameKind.Block && function.FindStep(frame.Step ?? "") is null))
            {
                throw new FunctionException(StackErrorCodes.BadState, $"The state names {frame.Block}, which the function '{function.Name}' does not have.");
            }
        }
    }

    private StepBlock BlockAt(string path) =>
        function.FindBlock(path) ?? throw new FunctionException(StackErrorCodes.BadState, $"The function has no step list at {path}.");

    private T StepAt<T>(string? path)
        where T : Step =>
        function.FindStep(path ?? "") as T ?? throw new FunctionException(StackErrorCodes.BadState, $"The function has no {typeof(T).Name} at {path}.");

    private void Push(FrameKind kind, StepBlock block, string? step = null) =>
        state.Frames.Add(new StackFrame { Kind = kind, Block = block.Path, Step = step });

    private void Pop() => state.Frames.RemoveAt(state.Frames.Count - 1);

    /// <summary>The running step list ended normally.</summary>
    private async ValueTask EndOfBlockAsync(StackFrame frame)
    {
        switch (frame.Kind)
        {
            case FrameKind.Loop:
                await NextIterationAsync(frame).ConfigureAwait(false);
                break;
            case FrameKind.Try:
                var step = StepAt<TryStep>(frame.Step);
                if (EnterFinally(frame, step, pending: null))
                {
                    break;
                }

                Pop();
                if (frame.Pending is { } pending)
                {
                    Unwind(pending);
                }

                break;
            default:
                Pop();
                break;
        }
    }

    /// <summary>
    /// Carries an error, break, continue or return outwards: loops take break and continue, try
    /// frames take errors into catch and run finally first for everything. An error that leaves
    /// the stack fails the execution.
    /// </summary>
    private void Unwind(Completion completion)
    {
        while (state.Frames.Count > 0)
        {
            var frame = state.Frames[^1];
            if (frame.Kind == FrameKind.Loop && completion.Kind == CompletionKind.Break)
            {
                Pop();
                return;
            }

            if (frame.Kind == FrameKind.Loop && completion.Kind == CompletionKind.Continue)
            {
                frame.Pc = int.MaxValue;
                return;
            }

            if (frame.Kind == FrameKind.Try)
            {
                var step = StepAt<TryStep>(frame.Step);
                if (frame.Phase == TryPhase.Try && completion.Kind == CompletionKind.Error && step.Catch is not null)
                {
                    frame.Phase = TryPhase.Catch;
                    frame.Block = step.Catch.Path;
                    frame.Pc = 0;
                    SetVariable(step.ErrorVariable, completion.Error!.ToJson());
                    return;
                }

                if (EnterFinally(frame, step, completion))
                {
                    return;
                }
            }

            Pop();
        }

        switch (completion.Kind)
        {
            case CompletionKind.Error:
                throw new StackErrorException(completion.Error!);
            case CompletionKind.Return:
                state.HasReturned = true;
                state.Returned = completion.Value?.DeepClone();
                break;
        }
    }

    /// <summary>Moves a try frame into its finally block, keeping what continues after it; false when there is none to run.</summary>
    private static bool EnterFinally(StackFrame frame, TryStep step, Completion? pending)
    {
        if (frame.Phase == TryPhase.Finally || step.Finally is null)
        {
            return false;
        }

        frame.Phase = TryPhase.Finally;
        frame.Block = step.Finally.Path;
        frame.Pc = 0;
        frame.Pending = pending;
        return true;
    }

    private ValueTask<JsonNode?> EvaluateAsync(ValueTemplate template) => template switch
    {
        LiteralValue literal => ValueTask.FromResult(literal.Value?.DeepClone()),
        ExpressionValue expression => Js.EvaluateAsync(expression.Script, state.Variables),
        ObjectValue obj => EvaluateObjectAsync(obj),
        ArrayValue array => EvaluateArrayAsync(array),
        _ => throw new InvalidOperationException($"Unknown value template {template.GetType().Name}."),
    };

    private async ValueTask<JsonNode?> EvaluateObjectAsync(ObjectValue obj)
    {
        var result = new JsonObject();
        foreach (var property in obj.Properties)
        {
            result[property.Key] = await EvaluateAsync(property.Value).ConfigureAwait(false);
        }

        return result;
    }

    private async ValueTask<JsonNode?> EvaluateArrayAsync(ArrayValue array)
    {
        var items = new JsonNode?[array.Items.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = await EvaluateAsync(array.Items[i]).ConfigureAwait(false);
        }

        return new JsonArray(items);
    }

    private void SetVariable(string name, JsonNode? value)
    {
        if (value?.Parent is not null)
        {
            value = value.DeepClone();
        }

        Measure(name, value);
        state.Variables[name] = value;
    }

    /// <summary>Holds a variable's new value to limit.variable_size and all variables together to limit.state_size.</summary>
    private void Measure(string name, JsonNode? value)
    {
        var size = CheckSize(name, value);
        if (_sizes is null)
        {
            _sizes = state.Variables.ToDictionary(v => v.Key, v => SizeOf(v.Value));
            _stateBytes = _sizes.Values.Sum();
        }

        _stateBytes += size - _sizes.GetValueOrDefault(name);
        _sizes[name] = size;
        if (_stateBytes > _limits.StateBytes)
        {
            throw new FunctionException(StackErrorCodes.LimitStateSize, $"Setting '{name}' would make the variables {_stateBytes} bytes of JSON together; the limit is {_limits.StateBytes} (limit.state_size).");
        }
    }

    private void Forget(string name)
    {
        state.Variables.Remove(name);
        if (_sizes is not null && _sizes.Remove(name, out var size))
        {
            _stateBytes -= size;
        }
    }

    private long CheckSize(string name, JsonNode? value)
    {
        var size = SizeOf(value);
        if (size > _limits.VariableBytes)
        {
            throw new FunctionException(StackErrorCodes.LimitVariableSize, $"The value of '{name}' would hold {size} bytes of JSON; the limit is {_limits.VariableBytes} (limit.variable_size).");
        }

        return size;
    }

    private static long SizeOf(JsonNode? value) => JsonSize.Of(value);

    private static bool Truthy(JsonNode? value) => value switch
    {
        null => false,
        JsonValue v when JsonPaths.TryGetBool(v, out var b) => b,
        JsonValue v when JsonPaths.TryGetString(v, out var s) => s.Length > 0,
        JsonValue v when JsonPaths.TryGetDecimal(v, out var d) => d != 0,
        _ => true,
    };

    private static StackErrorException TypeError(string path, string message) =>
        new(StackErrorCodes.TypeError, $"{path}: {message}", new JsonObject { ["path"] = path });
}
