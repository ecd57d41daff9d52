using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>
/// Fan-out loops start their children in one batch. A <c>for</c> or <c>foreach</c> whose body is
/// an async call, optionally followed by a push of the id it yields into an array, starts every
/// iteration's child when the first iteration reaches the call: the inputs of all iterations are
/// evaluated, the starts checked together and created concurrently, and each iteration then
/// yields its own id at once, exactly as a one-by-one start would. The batch is taken only when
/// nothing of the loop can end differently: the call's name and input read no variable the body
/// writes, and the limits on async calls, steps and sizes leave room for every iteration.
/// Otherwise, or when one start of the batch is refused (an unknown function, an invalid input,
/// the tree's bound), the loop starts its children one by one, and the refusal comes from the
/// iteration it belongs to.
/// </summary>
internal sealed partial class StackRun
{
    /// <summary>The longest execution id a store hands out is a Guid's 36 characters; the size checks assume at most this many.</summary>
    private const int MaxIdLength = 64;

    /// <summary>The id a batch of this loop already started for the running iteration, or null.</summary>
    private string? TakeStartedAhead(CallStep step)
    {
        var frame = state.Frames[^1];
        return frame is { Kind: FrameKind.Loop, StartedAhead: { } ids, Pc: 1 } && frame.Iteration < ids.Count && IsFirstStepOfLoop(frame, step)
            ? ids[(int)frame.Iteration]
            : null;
    }

    private bool IsFirstStepOfLoop(StackFrame frame, CallStep step) =>
        function.FindStep(frame.Step ?? "") is LoopStep loop && loop.Body.Path == frame.Block && loop.Body.Steps.Count > 0 && ReferenceEquals(loop.Body.Steps[0], step);

    /// <summary>
    /// At the first iteration's async call of a fan-out loop: starts every iteration's child in one
    /// batch and returns the first one's id, or null to start this one alone.
    /// </summary>
    private async Task<string?> TryStartLoopAheadAsync(CallStep step, string name, JsonNode? input)
    {
        var frame = state.Frames[^1];
        if (frame is not { Kind: FrameKind.Loop, Iteration: 0, Pc: 1, Count: >= 2 } || !IsFirstStepOfLoop(frame, step))
        {
            return null;
        }

        var loop = StepAt<LoopStep>(frame.Step);
        var pushTarget = FanOutPushTarget(loop, step);
        if (loop.Loop == LoopKind.While || pushTarget is "" || !HasRoomFor(loop, frame, pushTarget))
        {
            return null;
        }

        var jsSpent = state.JsMilliseconds;
        var calls = new List<(string Function, JsonNode? Input)>((int)frame.Count) { (name, input) };
        if (!(await EvaluateLaterIterationsAsync(step, loop, frame, calls).ConfigureAwait(false)))
        {
            // Not counted: the iterations evaluate again when they run one by one.
            state.JsMilliseconds = jsSpent;
            return null;
        }

        IReadOnlyList<string> ids;
        try
        {
            ids = await context.StartManyAsync(calls, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is UnknownFunctionException or InputValidationException or CallDepthExceededException
                                   || (ex is FunctionException f && f.Code == ExecutionErrorCodes.TreeExecutionsLimit))
        {
            // Refused before anything was written: one by one, the refusal comes from its own iteration.
            return null;
        }

        frame.StartedAhead = ids;
        return ids[0];
    }

    /// <summary>
    /// The variable the body pushes the id into; null when the body is the call alone; "" when the
    /// body is not a fan-out: anything else in it, or a call that reads what the body writes.
    /// </summary>
    private static string? FanOutPushTarget(LoopStep loop, CallStep step)
    {
        var body = loop.Body.Steps;
        string? target = null;
        if (body.Count == 2)
        {
            if (step.As is null
                || body[1] is not SetStep { Operation: SetOperation.Push, Target.Segments.Count: 0, Value: ExpressionValue pushed, As: null } push
                || pushed.Script.Source.Trim() != "$var." + step.As
                || push.Target.Root == step.As)
            {
                return "";
            }

            target = push.Target.Root;
        }
        else if (body.Count != 1)
        {
            return "";
        }

        string?[] written = [step.As, target];
        if (written.Any(w => w is not null && (w == loop.ItemVariable || w == loop.IndexVariable)))
        {
            return "";
        }

        return ReadsOnly(step.Function, written) && (step.Input is null || ReadsOnly(step.Input, written)) ? target : "";
    }

    /// <summary>True when no expression of the template reads one of <paramref name="written"/> (or all of <c>$var</c>).</summary>
    private static bool ReadsOnly(ValueTemplate template, string?[] written) => template switch
    {
        LiteralValue => true,
        ExpressionValue e => e.Script.VariablesRead is { } read && !read.Any(r => written.Contains(r)),
        ObjectValue o => o.Properties.All(p => ReadsOnly(p.Value, written)),
        ArrayValue a => a.Items.All(i => ReadsOnly(i, written)),
        _ => false,
    };

    /// <summary>
    /// Whether every iteration fits the limits it would count against: async calls, steps, and the
    /// sizes of the id variable and the array of ids (ids counted at their longest).
    /// </summary>
    private bool HasRoomFor(LoopStep loop, StackFrame frame, string? pushTarget)
    {
        var count = frame.Count;
        if (state.AsyncCallsStarted + count - 1 > _limits.AsyncCalls || state.StepsRun + (count * loop.Body.Steps.Count) > _limits.Steps)
        {
            return false;
        }

        const long idBytes = MaxIdLength + 3;
        EnsureSizes();
        var itemBytes = frame.Items is { } items ? items.Max(i => SizeOf(i)) : 20;
        var grows = idBytes + itemBytes + 20;
        if (pushTarget is not null)
        {
            if (!state.Variables.TryGetPropertyValue(pushTarget, out var list) || list is not (JsonArray or null) || SizeOf(list) + (count * idBytes) > _limits.VariableBytes)
            {
                return false;
            }

            grows += count * idBytes;
        }

        return _stateBytes + grows <= _limits.StateBytes;
    }

    /// <summary>
    /// Evaluates the call's name and input for iterations 1 to N-1 with their loop variables, then
    /// puts back the first iteration's. False when one of them is not a valid start or fails to
    /// evaluate: the loop then runs one by one and meets that at its own iteration.
    /// </summary>
    private async Task<bool> EvaluateLaterIterationsAsync(CallStep step, LoopStep loop, StackFrame frame, List<(string Function, JsonNode? Input)> calls)
    {
        var saved = new[] { loop.ItemVariable, loop.IndexVariable }
            .Where(v => v is not null)
            .Select(v => (Name: v!, Value: state.Variables[v!]))
            .ToArray();
        try
        {
            for (var i = 1; i < frame.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (loop.IndexVariable is not null)
                {
                    state.Variables[loop.IndexVariable] = JsonValue.Create((long)i);
                }

                if (loop.ItemVariable is not null)
                {
                    state.Variables[loop.ItemVariable] = frame.Items![i]?.DeepClone();
                }

                if ((await EvaluateAsync(step.Function).ConfigureAwait(false)) is not JsonValue nameNode || !Compiling.JsonPaths.TryGetString(nameNode, out var name) || !FunctionName.IsValid(name))
                {
                    return false;
                }

                calls.Add((name, step.Input is null ? new JsonObject() : (await EvaluateAsync(step.Input).ConfigureAwait(false))));
            }

            return true;
        }
        catch (Exception ex) when (ex is StackErrorException or FunctionException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            foreach (var (variable, value) in saved)
            {
                state.Variables[variable] = value;
            }
        }
    }

    private void EnsureSizes()
    {
        if (_sizes is null)
        {
            _sizes = state.Variables.ToDictionary(v => v.Key, v => SizeOf(v.Value));
            _stateBytes = _sizes.Values.Sum();
        }
    }
}
