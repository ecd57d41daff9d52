using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>
/// Everything a running stack needs to continue: variables, the frame stack and counters. It is a
/// plain value that round-trips through System.Text.Json, so a stack suspended at an await or a
/// sleep step can resume later in another process.
/// </summary>
public sealed class StackState
{
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public int Format { get; set; } = CurrentFormat;

    /// <summary>The function (and version, when stored) the state belongs to.</summary>
    public string Function { get; set; } = "";

    public int? FunctionVersion { get; set; }

    public JsonObject Variables { get; set; } = [];

    /// <summary>The value of <c>$auth</c> for this run.</summary>
    public JsonObject Auth { get; set; } = [];

    public List<StackFrame> Frames { get; set; } = [];

    /// <summary>Steps run so far, counted across resumes against <c>limit.steps</c>.</summary>
    public long StepsRun { get; set; }

    /// <summary>JavaScript time spent so far, counted across resumes against <c>limit.js_total_time</c>.</summary>
    public double JsMilliseconds { get; set; }

    /// <summary>Bytes written by log steps so far, counted across resumes against <c>limit.log_size</c>.</summary>
    public long LogBytes { get; set; }

    /// <summary>Executions started by async calls so far, counted across resumes against <c>limit.async_calls</c>.</summary>
    public int AsyncCallsStarted { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PendingAwait? Await { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PendingSleep? Sleep { get; set; }

    /// <summary>True once a return step ran; <see cref="Returned"/> holds its value.</summary>
    public bool HasReturned { get; set; }

    public JsonNode? Returned { get; set; }

    public string Serialize() => JsonSerializer.Serialize(this, SerializerOptions);

    public static StackState Deserialize(string json) =>
        JsonSerializer.Deserialize<StackState>(json, SerializerOptions) ?? throw new JsonException("The state is null.");
}
