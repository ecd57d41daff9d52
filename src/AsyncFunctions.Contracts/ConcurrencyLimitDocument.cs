using System.ComponentModel;

namespace AsyncFunctions.Contracts;

[Description("One concurrency limit of a function stack document, for example {\"limit\": 1, \"key\": \"=$input.customerId\"}.")]
public sealed record ConcurrencyLimitDocument
{
    [Description("How many executions may run at once (1 to 100000), per key value when key is given.")]
    public required int Limit { get; init; }

    [Description("An expression over $input and $auth whose value divides the limit: each key value has limit slots of its own. Absent: one limit for all executions of the function.")]
    public string? Key { get; init; }
}
