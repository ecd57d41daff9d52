using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Hangfire.Webhooks;

/// <summary>
/// The body of a completion message, in the envelope Standard Webhooks suggests:
/// <c>{ "type": "execution.completed", "timestamp", "data": { the execution record } }</c>.
/// The input and the caller stay out: the receiver needs the outcome, not what was asked.
/// </summary>
public static class WebhookPayload
{
    public const string Type = "execution.completed";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The message id: one per terminal status of an execution, the same on every attempt.</summary>
    public static string MessageId(ExecutionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return $"msg_{record.Id}_{(record.CompletedAt ?? record.CreatedAt).ToUnixTimeMilliseconds()}";
    }

    public static string Serialize(ExecutionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var data = new JsonObject
        {
            ["id"] = record.Id,
            ["function"] = record.Function,
            ["functionVersion"] = record.FunctionVersion,
            ["status"] = record.Status.ToString(),
            ["output"] = record.Output?.DeepClone(),
            ["error"] = record.Error is null ? null : JsonSerializer.SerializeToNode(record.Error, Json),
            ["attempts"] = record.Attempts,
            ["parentId"] = record.ParentId,
            ["rootId"] = record.RootId,
            ["createdAt"] = record.CreatedAt,
            ["startedAt"] = record.StartedAt,
            ["completedAt"] = record.CompletedAt,
        };
        var envelope = new JsonObject
        {
            ["type"] = Type,
            ["timestamp"] = record.CompletedAt ?? record.CreatedAt,
            ["data"] = data,
        };
        return envelope.ToJsonString(Json);
    }
}
