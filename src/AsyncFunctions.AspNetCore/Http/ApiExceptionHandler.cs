using AsyncFunctions.Awaiting;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AsyncFunctions.AspNetCore.Http;

/// <summary>Turns the exceptions the API expects into RFC 7807 problem details.</summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    /// <summary>What a 503 for a transient database failure asks the client to wait, in seconds.</summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>The <c>code</c> of the 503 for a transient database failure.</summary>
    public const string DatabaseUnavailableCode = "database_unavailable";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ApiProblemException api when api.Errors is not null => Validation(api.Title, api.Message, api.Errors),
            ApiProblemException api => Problem(api.StatusCode, api.Title, api.Message),
            InputValidationException invalid => Validation(
                "The input is not valid",
                string.Join("; ", invalid.Problems.Select(p => $"{p.Path}: {p.Message}")),
                invalid.Problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray())),
            DefinitionRejectedException rejected => Rejected(rejected),
            AsyncFunctions.Schedules.ScheduleProblemException schedule => Validation("The schedule is not valid", schedule.Message, new Dictionary<string, string[]> { [schedule.Field] = [schedule.Problem] }),
            AsyncFunctions.Schedules.UnknownScheduleException unknown => Problem(StatusCodes.Status404NotFound, "Unknown schedule", unknown.Message),
            AsyncFunctions.Schedules.ScheduleConflictException conflict => WithCode(
                Problem(conflict.Code == AsyncFunctions.Schedules.ScheduleConflictException.OwnerCode ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict, "The schedule cannot be changed", conflict.Message),
                conflict.Code),
            FunctionNameTakenException taken => Problem(StatusCodes.Status409Conflict, "The name belongs to a C# function", taken.Message),
            AsyncFunctions.Executions.ExecutionConflictException conflict => Problem(StatusCodes.Status409Conflict, conflict.Title, conflict.Message),
            AsyncFunctions.Executions.IdempotencyKeyReusedException reused => Problem(StatusCodes.Status422UnprocessableEntity, "The Idempotency-Key was used for another request", reused.Message),
            UnknownFunctionException unknown => Problem(StatusCodes.Status404NotFound, "Unknown function", unknown.Message),
            UnknownExecutionsException unknown => WithIds(Problem(StatusCodes.Status404NotFound, "Unknown executions", unknown.Message), unknown.Ids),
            AsyncFunctions.Webhooks.CallbacksNotConfiguredException callbacks => Problem(StatusCodes.Status400BadRequest, "Callbacks are not configured", callbacks.Message),
            AsyncFunctions.FlowControl.FlowLimitFullException full => WithCode(Problem(StatusCodes.Status429TooManyRequests, "The function's limit is full", full.Message), full.Code),
            AsyncFunctions.FlowControl.StartRefusedException refused => Validation("The request is not valid", refused.Message, new Dictionary<string, string[]> { [refused.Field] = [refused.Problem] }),
            CallDepthExceededException depth => Problem(StatusCodes.Status400BadRequest, "Call depth exceeded", depth.Message),
            AsyncFunctions.FlowControl.FlowKeyException key => Validation("The limit key could not be computed", key.Message, new Dictionary<string, string[]> { [key.Path] = [key.Message] }),
            BadHttpRequestException bad when BindingFailure.Explain(bad.Message) is var (name, message) =>
                Validation("Bad request", $"The parameter '{name}' {message}.", new Dictionary<string, string[]> { [name] = [message] }),
            BadHttpRequestException bad => Problem(bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request", bad.Message),
            _ when IsTransient(exception) => WithCode(
                Problem(
                    StatusCodes.Status503ServiceUnavailable,
                    "The database is busy",
                    "The database could not serve this request now (out of connections, a lost or refused connection, a time-out or a lock held too long). " +
                    "Send it again after the Retry-After delay; a start sent again with the same Idempotency-Key starts at most one execution."),
                DatabaseUnavailableCode),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (exception is AsyncFunctions.FlowControl.FlowLimitFullException limitFull)
        {
            var seconds = (long)Math.Ceiling(Math.Max(1, limitFull.RetryAfter.TotalSeconds));
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception }).ConfigureAwait(false);
    }

    /// <summary>
    /// A database failure that passes by itself, or Hangfire giving up on a job's lock that another
    /// caller holds: the request can succeed when sent again, so it is a 503, never a 500.
    /// </summary>
    internal static bool IsTransient(Exception exception) =>
        AsyncFunctions.Storage.TransientDatabaseFailure.IsTransient(exception)
        || Inner(exception).Any(e => e is global::Hangfire.Storage.DistributedLockTimeoutException);

    private static IEnumerable<Exception> Inner(Exception? exception)
    {
        for (var depth = 0; exception is not null && depth < 16; depth++, exception = exception.InnerException)
        {
            yield return exception;
        }
    }

    private static ProblemDetails Problem(int status, string title, string detail) =>
        new() { Status = status, Title = title, Detail = detail };

    private static ValidationProblemDetails Validation(string title, string detail, IDictionary<string, string[]> errors) =>
        new(errors) { Status = StatusCodes.Status400BadRequest, Title = title, Detail = detail };

    /// <summary>Every problem by JSON path in <c>errors</c>, and in document order in <c>problems</c>.</summary>
    private static ValidationProblemDetails Rejected(DefinitionRejectedException rejected)
    {
        var problem = Validation(
            "The function document is not valid",
            $"{rejected.Problems.Count} problem(s) in the document of '{rejected.Name}'.",
            rejected.Problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
        problem.Extensions["problems"] = rejected.Problems.Select(p => new { path = p.Path, message = p.Message }).ToList();
        return problem;
    }

    private static ProblemDetails WithCode(ProblemDetails problem, string code)
    {
        problem.Extensions["code"] = code;
        return problem;
    }

    private static ProblemDetails WithIds(ProblemDetails problem, IReadOnlyList<string> ids)
    {
        problem.Extensions["ids"] = ids;
        return problem;
    }
}
