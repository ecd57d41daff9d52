using System.ComponentModel;

namespace AsyncFunctions.Contracts;

[Description("An RFC 7807 problem document (application/problem+json).")]
public class Problem
{
    [Description("A URI reference naming the kind of problem: the RFC 9110 section of the status, where it has one.")]
    public string? Type { get; init; }

    [Description("A short summary of the kind of problem.")]
    public required string Title { get; init; }

    [Description("The HTTP status code.")]
    public required int Status { get; init; }

    [Description("What went wrong with this request and what to fix.")]
    public string? Detail { get; init; }

    public string? Instance { get; init; }

    [Description("The request's trace id, to find it in the server's logs and traces.")]
    public string? TraceId { get; init; }
}
