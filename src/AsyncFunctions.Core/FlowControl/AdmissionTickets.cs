using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FlowControl;

/// <summary>Evaluates a function's limit keys for one start: the <see cref="AdmissionTicket"/> kept with its job.</summary>
public static class AdmissionTickets
{
    /// <summary>The ticket of a start, or null for a function without limits.</summary>
    /// <exception cref="FlowKeyException">A key failed to evaluate or is too long.</exception>
    public static async ValueTask<AdmissionTicket?> CreateAsync(FunctionDescriptor function, JsonObject input, ExecutionCaller? caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        var flow = function.Flow;
        if (!flow.IsLimited)
        {
            return null;
        }

        var context = new FlowKeyContext(function.Name, JsonSerializer.SerializeToElement(input), caller);
        var slots = new List<SlotClaim>(flow.Concurrency.Count);
        for (var i = 0; i < flow.Concurrency.Count; i++)
        {
            var limit = flow.Concurrency[i];
            var key = await EvaluateAsync(limit.Key, context, $"concurrency[{i}].key", cancellationToken).ConfigureAwait(false);
            slots.Add(new SlotClaim(AdmissionTicket.ConcurrencyScope(function.Name, i), key, limit.Limit));
        }

        RateClaim? rate = null;
        if (flow.RateLimit is { } rateLimit)
        {
            var key = await EvaluateAsync(rateLimit.Key, context, "rateLimit.key", cancellationToken).ConfigureAwait(false);
            rate = new RateClaim(AdmissionTicket.RateScope(function.Name), key, rateLimit.Limit, rateLimit.PeriodSeconds);
        }

        return new AdmissionTicket { Function = function.Name, Slots = slots, Rate = rate, HoldWhileAwaiting = flow.HoldWhileAwaiting };
    }

    private static async ValueTask<string> EvaluateAsync(FlowKey? key, FlowKeyContext context, string path, CancellationToken cancellationToken)
    {
        if (key is null)
        {
            return "";
        }

        string value;
        try
        {
            value = await key.EvaluateAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not FlowKeyException)
        {
            throw new FlowKeyException(context.Function, path, $"failed to evaluate {key.Source}: {ex.Message}", ex);
        }

        if (value.Length > AdmissionTicket.MaxKeyLength)
        {
            throw new FlowKeyException(context.Function, path, $"{key.Source} evaluated to {value.Length} characters; a key may have at most {AdmissionTicket.MaxKeyLength}");
        }

        return value;
    }
}
