using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using Newtonsoft.Json;

namespace AsyncFunctions.Hangfire.Jobs;

/// <summary>
/// What <see cref="ExecutionJob"/> returns. Hangfire puts a job's return value on the
/// <c>SucceededState</c> it applies, where the state filter reads it and writes it with the
/// status. Hangfire also stores the value with the state: this wrapper serializes to a short
/// note instead of the output, which lives in the results table only.
/// </summary>
[JsonConverter(typeof(ExecutionOutputConverter))]
public sealed class ExecutionOutput(JsonNode? value, Suspension? suspension = null)
{
    public JsonNode? Value { get; } = value;

    /// <summary>Set when the run suspended: the suspension filter turns the Succeeded state into a waiting one.</summary>
    public Suspension? Suspension { get; } = suspension;

    private sealed class ExecutionOutputConverter : JsonConverter<ExecutionOutput>
    {
        public override void WriteJson(JsonWriter writer, ExecutionOutput? value, JsonSerializer serializer) =>
            writer.WriteValue("(kept in the results table)");

        public override ExecutionOutput ReadJson(JsonReader reader, Type objectType, ExecutionOutput? existingValue, bool hasExistingValue, JsonSerializer serializer)
        {
            reader.Skip();
            return new ExecutionOutput(null);
        }
    }
}
