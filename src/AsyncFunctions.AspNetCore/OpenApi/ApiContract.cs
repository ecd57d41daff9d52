using Microsoft.AspNetCore.Http.Metadata;

namespace AsyncFunctions.AspNetCore.OpenApi;

/// <summary>
/// The metadata the OpenAPI document is built from: each answer an endpoint gives, with its body
/// type, content type and meaning. The contract tests check every real answer against it.
/// </summary>
public static class ApiContract
{
    public const string Json = "application/json";

    public const string ProblemJson = "application/problem+json";

    public const string EventStream = "text/event-stream";

    /// <summary>Answers <paramref name="status"/> with a <typeparamref name="T"/> as JSON.</summary>
    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder builder, int status, string description) =>
        builder.AddResponse(typeof(T), status, Json).Described(status, description);

    /// <summary>Answers <paramref name="status"/> with server-sent events whose data is a <typeparamref name="T"/>.</summary>
    public static RouteHandlerBuilder AnswersEvents<T>(this RouteHandlerBuilder builder, int status, string description) =>
        builder.AddResponse(typeof(T), status, EventStream).Described(status, description);

    /// <summary>Answers <paramref name="status"/> with no body.</summary>
    public static RouteHandlerBuilder AnswersEmpty(this RouteHandlerBuilder builder, int status, string description) =>
        builder.AddResponse(typeof(void), status).Described(status, description);

    /// <summary>Answers <paramref name="status"/> with a problem document of type <typeparamref name="TProblem"/>.</summary>
    public static RouteHandlerBuilder Fails<TProblem>(this RouteHandlerBuilder builder, int status, string description)
        where TProblem : Problem =>
        builder.AddResponse(typeof(TProblem), status, ProblemJson).Described(status, description);

    /// <summary>Answers <paramref name="status"/> with a plain <see cref="Problem"/>.</summary>
    public static RouteHandlerBuilder Fails(this RouteHandlerBuilder builder, int status, string description) =>
        builder.Fails<Problem>(status, description);

    /// <summary>400 for a body or parameter that is not valid, with the fields at fault.</summary>
    public static RouteHandlerBuilder FailsValidation(this RouteHandlerBuilder builder, string description = "The request is not valid: errors names each field or parameter at fault.") =>
        builder.Fails<ValidationProblem>(StatusCodes.Status400BadRequest, description);

    /// <summary>413 and 415: what every endpoint that reads a JSON body may answer.</summary>
    public static RouteHandlerBuilder ReadsJsonBody<TBody>(this RouteHandlerBuilder builder, bool optional = false) =>
        builder.AddRequestBody<TBody>(optional)
            .Fails(StatusCodes.Status413PayloadTooLarge, "The body is over AsyncFunctions:Api:MaxRequestBodyBytes.")
            .Fails(StatusCodes.Status415UnsupportedMediaType, "The body is not application/json in UTF-8.");

    private static RouteHandlerBuilder AddResponse(this RouteHandlerBuilder builder, Type type, int status, string? contentType = null)
    {
        builder.WithMetadata(new ProducesResponseTypeMetadata(status, type, contentType is null ? [] : [contentType]));
        return builder;
    }

    /// <summary>
    /// The body's type with no content type: content types in accepts metadata would make routing
    /// refuse other types itself, before the handler's own 415 problem (and its +json types).
    /// The document names application/json all the same.
    /// </summary>
    private static RouteHandlerBuilder AddRequestBody<TBody>(this RouteHandlerBuilder builder, bool optional)
    {
        builder.WithMetadata(new AcceptsMetadata([], typeof(TBody), optional));
        return builder;
    }

    private static RouteHandlerBuilder Described(this RouteHandlerBuilder builder, int status, string description)
    {
        builder.WithMetadata(new ResponseDescriptionMetadata(status, description));
        return builder;
    }
}
