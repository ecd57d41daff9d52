using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Functions;
using AsyncFunctions.Logging;

namespace AsyncFunctions.FunctionStacks.Runtime;

internal sealed partial class StackRun
{
    // Handlers of steps with little to do; StepKinds names the handler of every kind.
    internal void RunVar(VarStep step) => SetVariable(step.Name, Evaluate(step.Value));

    internal void Break() => Unwind(new Completion(CompletionKind.Break));

    internal void Continue() => Unwind(new Completion(CompletionKind.Continue));

    internal void EnterTry(TryStep step) => Push(FrameKind.Try, step.Body, step.Path);

    internal void RunThrow(ThrowStep step) => throw Raise(step.Code, step.Message, step.Data, StackErrorCodes.Thrown, step.Path);

    internal void CheckPrecondition(PreconditionStep step)
    {
        if (!Truthy(Evaluate(step.Condition)))
        {
            throw Raise(step.Code, step.Message, step.Data, StackErrorCodes.Precondition, step.Path);
        }
    }

    internal void RunReturn(ReturnStep step) => Unwind(new Completion(CompletionKind.Return, Value: Evaluate(step.Value)));

    /// <summary>A sleep longer than the suspension threshold suspends a run that may (true); a shorter one waits in place.</summary>
    internal async Task<bool> SleepAsync(SleepStep step)
    {
        var ms = NumberIn(step.Milliseconds, step.Path + ".sleep", 0, SleepStep.MaxMilliseconds);
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

    internal void RunLambda(LambdaStep step) => Yield(step, Js.Evaluate(step.Code, state.Variables));

    private void Yield(Step step, JsonNode? value)
    {
        if (step.As is not null)
        {
            SetVariable(step.As, value);
        }
    }

    private StackErrorException Raise(ValueTemplate? code, ValueTemplate? message, ValueTemplate? data, string defaultCode, string path)
    {
        var codeText = code is null ? defaultCode : Evaluate(code) is JsonValue c && JsonPaths.TryGetString(c, out var text) && text.Length > 0 ? text : defaultCode;
        var messageNode = message is null ? null : Evaluate(message);
        var messageText = messageNode is null ? $"{codeText} at {path}" : JsonPaths.TryGetString(messageNode, out var m) ? m : messageNode.ToJsonString();
        return new StackErrorException(codeText, messageText, data is null ? null : Evaluate(data));
    }

    internal void RunIf(IfStep step)
    {
        foreach (var (condition, then) in step.Branches)
        {
            if (Truthy(Evaluate(condition)))
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

    internal void RunSwitch(SwitchStep step)
    {
        var value = Evaluate(step.Value);
        foreach (var (caseValue, then) in step.Cases)
        {
            if (SameValue(value, Evaluate(caseValue)))
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

    internal void StartLoop(LoopStep step)
    {
        var frame = new StackFrame { Kind = FrameKind.Loop, Block = step.Body.Path, Step = step.Path };
        switch (step.Loop)
        {
            case LoopKind.For:
                var count = Number(Evaluate(step.Subject), step.Path + ".for");
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
                if (Evaluate(step.Subject) is not JsonArray items)
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
                if (!Truthy(Evaluate(step.Subject)))
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

    private void NextIteration(StackFrame frame)
    {
        var step = StepAt<LoopStep>(frame.Step);
        frame.Iteration++;
        if (step.Loop == LoopKind.While)
        {
            // The condition sees the index of the iteration it decides about.
            SetLoopVariables(step, frame);
        }

        var more = step.Loop == LoopKind.While ? Truthy(Evaluate(step.Subject)) : frame.Iteration < frame.Count;
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
    private decimal NumberIn(ValueTemplate template, string path, decimal min, decimal max)
    {
        var number = Number(Evaluate(template), path);
        return number >= min && number <= max ? number : throw TypeError(path, $"must be a number from {min} to {max}, got {number}");
    }

    internal async Task LogAsync(LogStep step)
    {
        var messageNode = Evaluate(step.Message);
        var message = messageNode is null ? "" : JsonPaths.TryGetString(messageNode, out var text) ? text : messageNode.ToJsonString();
        var data = step.Data is null ? null : Evaluate(step.Data);
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
