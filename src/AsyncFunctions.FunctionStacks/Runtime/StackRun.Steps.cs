using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Functions;
using AsyncFunctions.Logging;

namespace AsyncFunctions.FunctionStacks.Runtime;

internal sealed partial class StackRun
{
    // Handlers of steps with little to do; StepKinds names the handler of every kind.
    internal async Task RunVar(VarStep step) => SetVariable(step.Name, (await EvaluateAsync(step.Value).ConfigureAwait(false)));

    internal void Break() => Unwind(new Completion(CompletionKind.Break));

    internal void Continue() => Unwind(new Completion(CompletionKind.Continue));

    internal void EnterTry(TryStep step) => Push(FrameKind.Try, step.Body, step.Path);

    internal async Task RunThrow(ThrowStep step) => throw (await RaiseAsync(step.Code, step.Message, step.Data, StackErrorCodes.Thrown, step.Path).ConfigureAwait(false));

    internal async Task CheckPrecondition(PreconditionStep step)
    {
        if (!Truthy((await EvaluateAsync(step.Condition).ConfigureAwait(false))))
        {
            throw (await RaiseAsync(step.Code, step.Message, step.Data, StackErrorCodes.Precondition, step.Path).ConfigureAwait(false));
        }
    }

    internal async Task RunReturn(ReturnStep step) => Unwind(new Completion(CompletionKind.Return, Value: (await EvaluateAsync(step.Value).ConfigureAwait(false))));

    /// <summary>A sleep longer than the suspension threshold suspends a run that may (true); a shorter one waits in place.</summary>
    internal async Task<bool> SleepAsync(SleepStep step)
    {
        var ms = (await NumberInAsync(step.Milliseconds, step.Path + ".sleep", 0, SleepStep.MaxMilliseconds).ConfigureAwait(false));
        var sleep = new PendingSleep { Step = step.Path, Until = services.Time.GetUtcNow() + TimeSpan.FromMilliseconds((double)ms) };
        return await SleepUntilAsync(sleep).ConfigureAwait(false);
    }

    private async Task<bool> SleepUntilAsync(PendingSleep sleep)
    {
        var left = sleep.Until - services.Time.GetUtcNow();
        if (suspendAtAwait && left.TotalMilliseconds > services.Options.SuspendSleepsLongerThanMilliseconds)
        {
            state.Sleep = sleep;
            return true;
        }

        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, services.Time, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    internal async Task RunLambda(LambdaStep step) => Yield(step, (await Js.EvaluateAsync(step.Code, state.Variables).ConfigureAwait(false)));

    private void Yield(Step step, JsonNode? value)
    {
        if (step.As is not null)
        {
            SetVariable(step.As, value);
        }
    }

    private async Task<StackErrorException> RaiseAsync(ValueTemplate? code, ValueTemplate? message, ValueTemplate? data, string defaultCode, string path)
    {
        var codeText = code is null ? defaultCode : (await EvaluateAsync(code).ConfigureAwait(false)) is JsonValue c && JsonPaths.TryGetString(c, out var text) && text.Length > 0 ? text : defaultCode;
        var messageNode = message is null ? null : (await EvaluateAsync(message).ConfigureAwait(false));
        var messageText = messageNode is null ? $"{codeText} at {path}" : JsonPaths.TryGetString(messageNode, out var m) ? m : messageNode.ToJsonString();
        return new StackErrorException(codeText, messageText, data is null ? null : (await EvaluateAsync(data).ConfigureAwait(false)));
    }

    internal async Task RunIf(IfStep step)
    {
        foreach (var (condition, then) in step.Branches)
        {
            if (Truthy((await EvaluateAsync(condition).ConfigureAwait(false))))
            {
                Push(FrameKind.Block, then);
                return;
            }
        }

        if (step.Else is not null)
        {
            Push(FrameKind.Block, step.Else);
        }
    }

    internal async Task RunSwitch(SwitchStep step)
    {
        var value = (await EvaluateAsync(step.Value).ConfigureAwait(false));
        foreach (var (caseValue, then) in step.Cases)
        {
            if (SameValue(value, (await EvaluateAsync(caseValue).ConfigureAwait(false))))
            {
                Push(FrameKind.Block, then);
                return;
            }
        }

        if (step.Default is not null)
        {
            Push(FrameKind.Block, step.Default);
        }
    }

    private static bool SameValue(JsonNode? a, JsonNode? b) =>
        JsonPaths.TryGetDecimal(a, out var x) && JsonPaths.TryGetDecimal(b, out var y) ? x == y : JsonNode.DeepEquals(a, b);

    internal async Task StartLoop(LoopStep step)
    {
        var frame = new StackFrame { Kind = FrameKind.Loop, Block = step.Body.Path, Step = step.Path };
        switch (step.Loop)
        {
            case LoopKind.For:
                var count = Number((await EvaluateAsync(step.Subject).ConfigureAwait(false)), step.Path + ".for");
                if (count < 0 || count != decimal.Truncate(count))
                {
                    throw TypeError(step.Path + ".for", $"the count must be a whole number of at least 0, not {count}");
                }

                frame.Count = (long)Math.Min(count, long.MaxValue);
                CheckIterations(step, frame.Count);
                if (count == 0)
                {
                    return;
                }

                break;
            case LoopKind.Foreach:
                if ((await EvaluateAsync(step.Subject).ConfigureAwait(false)) is not JsonArray items)
                {
                    throw TypeError(step.Path + ".foreach", "the value to loop over is not an array");
                }

                CheckIterations(step, items.Count);
                CheckSize($"the items of the foreach at {step.Path}", items);
                if (items.Count == 0)
                {
                    return;
                }

                frame.Items = items;
                frame.Count = items.Count;
                break;
            default:
                SetLoopVariables(step, frame);
                if (!Truthy((await EvaluateAsync(step.Subject).ConfigureAwait(false))))
                {
                    return;
                }

                break;
        }

        state.Frames.Add(frame);
        SetLoopVariables(step, frame);
        CountEmptyIteration(step);
    }

    /// <summary>
    /// An iteration with steps in its body is paid for by those steps; one with an empty body
    /// counts as a step itself, so empty loops, nested ones too, stay within limit.steps.
    /// </summary>
    private void CountEmptyIteration(LoopStep step)
    {
        if (step.Body.Steps.Count == 0)
        {
            CountStep(step.Path);
        }
    }

    private async Task NextIterationAsync(StackFrame frame)
    {
        var step = StepAt<LoopStep>(frame.Step);
        frame.Iteration++;
        if (step.Loop == LoopKind.While)
        {
            // The condition sees the index of the iteration it decides about.
            SetLoopVariables(step, frame);
        }

        var more = step.Loop == LoopKind.While ? Truthy((await EvaluateAsync(step.Subject).ConfigureAwait(false))) : frame.Iteration < frame.Count;
        if (!more)
        {
            Pop();
            return;
        }

        CheckIterations(step, frame.Iteration + 1);
        frame.Pc = 0;
        SetLoopVariables(step, frame);
        CountEmptyIteration(step);
    }

    private void CheckIterations(LoopStep step, long iterations)
    {
        if (iterations > _limits.LoopIterations)
        {
            throw new FunctionException(StackErrorCodes.LimitLoop, $"The loop at {step.Path} would run more than {_limits.LoopIterations} iterations (limit.loop).");
        }
    }

    private void SetLoopVariables(LoopStep step, StackFrame frame)
    {
        if (step.IndexVariable is not null)
        {
            SetVariable(step.IndexVariable, JsonValue.Create(frame.Iteration));
        }

        if (step.ItemVariable is not null)
        {
            SetVariable(step.ItemVariable, frame.Items![(int)frame.Iteration]?.DeepClone());
        }
    }

    private static decimal Number(JsonNode? value, string path) =>
        JsonPaths.TryGetDecimal(value, out var number) ? number : throw TypeError(path, $"expected a number, got {JsonPaths.Describe(value)}");

    /// <summary>A number computed at run time, held to the range the compiler applies to a literal in the same place.</summary>
    private async Task<decimal> NumberInAsync(ValueTemplate template, string path, decimal min, decimal max)
    {
        var number = Number((await EvaluateAsync(template).ConfigureAwait(false)), path);
        return number >= min && number <= max ? number : throw TypeError(path, $"must be a number from {min} to {max}, got {number}");
    }

    internal async Task LogAsync(LogStep step)
    {
        var messageNode = (await EvaluateAsync(step.Message).ConfigureAwait(false));
        var message = messageNode is null ? "" : JsonPaths.TryGetString(messageNode, out var text) ? text : messageNode.ToJsonString();
        var data = step.Data is null ? null : (await EvaluateAsync(step.Data).ConfigureAwait(false));
        state.LogBytes += System.Text.Encoding.UTF8.GetByteCount(message) + (data is null ? 0 : SizeOf(data));
        if (state.LogBytes > _limits.LogBytes)
        {
            throw new FunctionException(StackErrorCodes.LimitLogSize, $"The log step at {step.Path} would bring the execution's log to {state.LogBytes} bytes; the limit is {_limits.LogBytes} (limit.log_size).");
        }

        if (context.Services.GetService(typeof(IExecutionLogStore)) is IExecutionLogStore logs)
        {
            var entry = new ExecutionLogEntry(services.Time.GetUtcNow(), step.Level, message, data);
            await logs.AppendAsync(context.ExecutionId, [entry], cancellationToken).ConfigureAwait(false);
        }
    }
}
