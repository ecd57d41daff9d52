using System.Text.Json;
using System.Text.Json.Serialization;

namespace AsyncFunctions.FlowControl;

/// <summary>
/// What admission needs of one execution, fixed when it starts: the slots it must hold (one per
/// concurrency limit, with the key evaluated once) and its rate limit. Kept with the job, so a
/// retry, a resume, a takeover or a schedule occurrence enters admission with the same keys even
/// when the function was changed since.
/// </summary>
public sealed record AdmissionTicket
{
    /// <summary>The longest key value admission stores; a longer one fails the start.</summary>
    public const int MaxKeyLength = 200;

    [JsonPropertyName("f")]
    public required string Function { get; init; }

    [JsonPropertyName("c")]
    public IReadOnlyList<SlotClaim> Slots { get; init; } = [];

    [JsonPropertyName("r")]
    public RateClaim? Rate { get; init; }

    /// <summary>Whether the execution keeps its slots while it is suspended.</summary>
    [JsonPropertyName("h")]
    public bool HoldWhileAwaiting { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);

    public static AdmissionTicket? Parse(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<AdmissionTicket>(json);

    /// <summary>The scope of a function's <paramref name="index"/>-th concurrency limit.</summary>
    public static string ConcurrencyScope(string function, int index) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{function}#c{index}");

    /// <summary>The scope of a function's rate limit.</summary>
    public static string RateScope(string function) => function + "#r";
}

/// <summary>One slot of a concurrency limit: <paramref name="Scope"/> names the limit, <paramref name="Key"/> its key value ("" without a key).</summary>
public sealed record SlotClaim(
    [property: JsonPropertyName("s")] string Scope,
    [property: JsonPropertyName("k")] string Key,
    [property: JsonPropertyName("n")] int Limit);

/// <summary>A start counted by a rate limit: at most <paramref name="Limit"/> per <paramref name="PeriodSeconds"/> per key.</summary>
public sealed record RateClaim(
    [property: JsonPropertyName("s")] string Scope,
    [property: JsonPropertyName("k")] string Key,
    [property: JsonPropertyName("n")] int Limit,
    [property: JsonPropertyName("p")] int PeriodSeconds);
