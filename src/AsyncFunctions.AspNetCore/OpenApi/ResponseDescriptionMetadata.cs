namespace AsyncFunctions.AspNetCore.OpenApi;

/// <summary>What a status of an endpoint means, for the OpenAPI document.</summary>
public sealed record ResponseDescriptionMetadata(int StatusCode, string Description);
