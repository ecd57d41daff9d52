using System.Text.Json;
using System.Text.Json.Serialization;

namespace AsyncFunctions.Contracts;

/// <summary>How the API writes and reads JSON: web defaults (camelCase) and enumerations by name.</summary>
public static class ApiJson
{
    /// <summary>Options for reading the API's answers and writing its request bodies.</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Adds what the API's JSON needs to <paramref name="options"/> (web defaults assumed).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
