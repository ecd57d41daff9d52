using System.Text.Json.Serialization;

namespace AsyncFunctions.Inputs;

/// <summary>The types an input may declare; written in lower case in JSON.</summary>
public enum InputType
{
    [JsonStringEnumMemberName("any")]
    Any,
    [JsonStringEnumMemberName("text")]
    Text,
    [JsonStringEnumMemberName("int")]
    Int,
    [JsonStringEnumMemberName("decimal")]
    Decimal,
    [JsonStringEnumMemberName("bool")]
    Bool,
    [JsonStringEnumMemberName("timestamp")]
    Timestamp,
    [JsonStringEnumMemberName("object")]
    Object,
    [JsonStringEnumMemberName("array")]
    Array,
}
