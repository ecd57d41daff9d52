namespace AsyncFunctions.AspNetCore.OpenApi;

/// <summary>The endpoint reads an optional <c>Idempotency-Key</c> header; the document lists it as a parameter.</summary>
public sealed class IdempotencyKeyMetadata;
