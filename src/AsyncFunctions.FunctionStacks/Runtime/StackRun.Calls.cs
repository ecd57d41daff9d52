using System.Globalization;
using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;
using AsyncFunctions.Telemetry;

namespace AsyncFunctions.FunctionStacks.Runtime;

internal sealed partial class StackRun
{
    internal async Task CallAsync(CallStep step)
    {
        if (step.Async && TakeStartedAhead(step) is { } startedAhead)
        {
            CountAsyncCall(step);
            Yield(step, JsonValue.Create(startedAhead));
            return;
        }

        if ((await EvaluateAsync(step.Function).ConfigureAwait(false)) is not JsonValue nameNode || !JsonPaths.TryGetString(nameNode, out var name) || !FunctionName.IsValid(name))
        {
            throw TypeError(step.Path + ".call", "the function name is not a valid name");
        }

        var input = step.Input is null ? new JsonObject() : (await EvaluateAsync(step.Input).ConfigureAwait(false));
        if (step.Async)
        {
            CountAsyncCall(step);
        }

        try
        {
            JsonNode? result = step.Async
                ? JsonValue.Create(await TryStartLoopAheadAsync(step, name, input).ConfigureAwait(false)
                                   ?? await context.StartAsync(name, input, cancellationToken).ConfigureAwait(false))
                : await context.RunAsync(name, input, cancellationToken).ConfigureAwait(false);
            Yield(step, result);
        }
        catch (ExecutionFailedException ex)
        {
            throw new StackErrorException(ex.Error.Code, ex.Error.Message, ex.Error.Data?.DeepClone());
        }
        catch (UnknownFunctionException ex)
        {
            throw new StackErrorException(StackErrorCodes.UnknownFunction, ex.Message, new JsonObject { ["function"] = name });
        }
        catch (InputValidationException ex)
        {
            var problems = new JsonArray(ex.Problems.Select(p => (JsonNode?)new JsonObject { ["path"] = p.Path, ["message"] = p.Message }).ToArray());
            throw new StackErrorException(StackErrorCodes.InvalidInput, ex.Message, new JsonObject { ["function"] = name, ["problems"] = problems });
        }
        catch (CallDepthExceededException ex)
        {
            throw new StackErrorException(StackErrorCodes.CallDepthExceeded, ex.Message, new JsonObject { ["function"] = name });
        }
        catch (FunctionException ex) when (ex is not StackErrorException)
        {
            throw new StackErrorException(ex.Code, ex.Message, ex.Details?.DeepClone());
        }
    }

    private void CountAsyncCall(CallStep step)
    {
        if (++state.AsyncCallsStarted > _limits.AsyncCalls)
        {
            throw new FunctionException(StackErrorCodes.LimitAsyncCalls, $"The execution started more than {_limits.AsyncCalls} executions with async calls (limit.async_calls); it stopped at {step.Path}.");
        }
    }

    internal async Task<bool> AwaitAsync(AwaitStep step)
    {
        var idsNode = (await EvaluateAsync(step.Ids).ConfigureAwait(false));
        var single = JsonPaths.TryGetString(idsNode, out var one);
        List<string> ids;
        if (single)
        {
            ids = [one];
        }
        else if (idsNode is JsonArray array && array.All(i => JsonPaths.TryGetString(i, out _)))
        {
            ids = array.Select(i => i!.GetValue<string>()).ToList();
        }
        else
        {
            throw TypeError(step.Path + ".await", "expected an execution id or an array of execution ids");
        }

        // Suspended, an await holds no worker and may wait far longer than one that holds its worker.
        var max = suspendAtAwait ? (decimal)services.Options.MaxSuspendedAwaitSeconds : StepRanges.AwaitTimeoutMax;
        var timeout = step.TimeoutSeconds is null ? services.Options.DefaultAwaitTimeoutSeconds : (double)(await NumberInAsync(step.TimeoutSeconds, step.Path + ".timeoutSeconds", 0, max).ConfigureAwait(false));
        var pending = new PendingAwait
        {
            Step = step.Path,
            Ids = ids,
            Single = single,
            TimeoutSeconds = timeout,
            StartedAt = services.Time.GetUtcNow(),
            As = step.As,
            Settled = step.Settled,
        };

        return await FinishAwaitAsync(pending, resumed: false).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for the ids of an await (fresh or resumed) and stores or raises its result. A run that
    /// may suspend only looks: when something is unfinished and time is left, it keeps the await in
    /// the state and returns true, and the run suspends until the ids finish or the deadline passes.
    /// </summary>
    private async Task<bool> FinishAwaitAsync(PendingAwait pending, bool resumed)
    {
        JsonArray results;
        if (pending.Ids.Count == 0)
        {
            results = [];
        }
        else
        {
            var waited = services.Time.GetUtcNow() - pending.StartedAt;
            var remaining = TimeSpan.FromSeconds(pending.TimeoutSeconds) - waited;
            if (remaining < TimeSpan.Zero)
            {
                remaining = TimeSpan.Zero;
            }

            var outcome = await WaitAsync(pending.Ids, suspendAtAwait ? TimeSpan.Zero : remaining).ConfigureAwait(false);
            if (!outcome.Completed && suspendAtAwait && remaining > TimeSpan.Zero)
            {
                state.Await = pending;
                return true;
            }

            ExecutionTelemetry.AwaitTime.Record(
                (services.Time.GetUtcNow() - pending.StartedAt).TotalMilliseconds,
                ExecutionTelemetry.Function(context.Execution.Function),
                new KeyValuePair<string, object?>("suspended", resumed));

            results = pending.Settled ? Settled(outcome)
                : outcome.Completed ? Outputs(outcome, pending.Step)
                : throw TimedOut(outcome, pending);
        }

        var value = pending.Single ? results[0]?.DeepClone() : results;
        if (pending.As is not null)
        {
            SetVariable(pending.As, value);
        }

        return false;
    }

    private async Task<AwaitOutcome> WaitAsync(IReadOnlyList<string> ids, TimeSpan timeout)
    {
        try
        {
            return await context.AwaitAsync(ids, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (UnknownExecutionsException ex)
        {
            throw new StackErrorException(StackErrorCodes.AwaitUnknownIds, ex.Message,
                new JsonObject { ["ids"] = new JsonArray(ex.Ids.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()) });
        }
        catch (ArgumentException ex)
        {
            throw new StackErrorException(StackErrorCodes.AwaitInvalid, ex.Message);
        }
        catch (FunctionException ex) when (ex is not StackErrorException)
        {
            throw new StackErrorException(ex.Code, ex.Message, ex.Details?.DeepClone());
        }
    }

    private static JsonArray Settled(AwaitOutcome outcome) =>
        new(outcome.Results.Select(r => (JsonNode?)new JsonObject
        {
            ["id"] = r.Id,
            ["status"] = StatusName(r.Status),
            ["output"] = r.Output?.DeepClone(),
            ["error"] = ErrorJson(r.Error),
        }).ToArray());

    /// <summary>
    /// await.timeout of a plain await: what is still pending, and what already failed or succeeded,
    /// so nothing is lost. Outputs that would make the data larger than limit.variable_size are
    /// left out (the ids stay, and can be awaited again).
    /// </summary>
    private StackErrorException TimedOut(AwaitOutcome outcome, PendingAwait pending)
    {
        var distinct = outcome.Results.DistinctBy(r => r.Id).ToList();
        var still = distinct.Where(r => !r.IsTerminal).Select(r => r.Id).ToList();
        var failed = distinct.Where(r => r.IsTerminal && r.Status != ExecutionStatus.Succeeded).ToList();
        var succeeded = distinct.Where(r => r.Status == ExecutionStatus.Succeeded).ToList();
        var message = $"The await at {pending.Step} timed out after {pending.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s; still pending: {string.Join(", ", still)}";
        message += failed.Count == 0 ? "." : $"; already failed: {string.Join("; ", failed.Select(Describe))}.";
        var data = new JsonObject
        {
            ["pending"] = new JsonArray(still.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()),
            ["failed"] = FailedJson(failed),
            ["succeeded"] = new JsonArray(succeeded.Select(r => (JsonNode?)new JsonObject { ["id"] = r.Id, ["output"] = r.Output?.DeepClone() }).ToArray()),
        };
        if (SizeOf(data) > _limits.VariableBytes)
        {
            data["succeeded"] = new JsonArray(succeeded.Select(r => (JsonNode?)new JsonObject { ["id"] = r.Id }).ToArray());
            data["outputsOmitted"] = true;
        }

        return new StackErrorException(StackErrorCodes.AwaitTimeout, message, data);
    }

    private static JsonArray Outputs(AwaitOutcome outcome, string path)
    {
        var failed = outcome.Results.Where(r => r.Status != ExecutionStatus.Succeeded).ToList();
        if (failed.Count > 0)
        {
            throw new StackErrorException(
                StackErrorCodes.AwaitFailed,
                $"The await at {path} found {failed.Count} failed execution(s): {string.Join("; ", failed.Select(Describe))}.",
                new JsonObject { ["failed"] = FailedJson(failed) });
        }

        return new JsonArray(outcome.Results.Select(r => r.Output?.DeepClone()).ToArray());
    }

    private static string Describe(ExecutionResult r) =>
        $"{r.Id} ({StatusName(r.Status)}: {r.Error?.Code ?? "-"}: {r.Error?.Message ?? "no error recorded"})";

    private static JsonArray FailedJson(IEnumerable<ExecutionResult> failed) =>
        new(failed.Select(r => (JsonNode?)new JsonObject
        {
            ["id"] = r.Id,
            ["status"] = StatusName(r.Status),
            ["error"] = ErrorJson(r.Error),
        }).ToArray());

    private static JsonObject? ErrorJson(ExecutionError? error) => error is null ? null : new JsonObject
    {
        ["code"] = error.Code,
        ["message"] = error.Message,
        ["data"] = error.Data?.DeepClone(),
    };

    /// <summary>Spelled as the execution records and the REST API spell it: Succeeded, Failed, Cancelled, Enqueued, ...</summary>
    private static string StatusName(ExecutionStatus status) => status.ToString();
}
