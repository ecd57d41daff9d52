namespace AsyncFunctions.AspNetCore.Http;

/// <summary>A request the API refuses, with the status code and a message that says what to fix.</summary>
public sealed class ApiProblemException : Exception
{
    public ApiProblemException(int statusCode, string title, string detail, IDictionary<string, string[]>? errors = null)
        : base(detail)
    {
        StatusCode = statusCode;
        Title = title;
        Errors = errors;
    }

    public ApiProblemException()
        : this(StatusCodes.Status400BadRequest, "Bad request", "The request is not valid.")
    {
    }

    public ApiProblemException(string message)
        : this(StatusCodes.Status400BadRequest, "Bad request", message)
    {
    }

    public ApiProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = StatusCodes.Status400BadRequest;
        Title = "Bad request";
    }

    public int StatusCode { get; }

    public string Title { get; }

    /// <summary>Problems by field or JSON path, for validation errors.</summary>
    public IDictionary<string, string[]>? Errors { get; }

    public static ApiProblemException BadField(string field, string message) =>
        new(StatusCodes.Status400BadRequest, "The request is not valid", $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });
}
