using AsyncFunctions.Client;

namespace MyApp;

public static class Problems
{
    /// <summary>What a refused start says: the status, and each input at fault by its path.</summary>
    public static async Task<string> DescribeAsync(AsyncFunctionsClient functions)
    {
        try
        {
            await functions.StartAsync("examples.echo", new { delayMs = -1 });
            return "started";
        }
        catch (AsyncFunctionsProblemException problem) when (problem.Status == 400)
        {
            // For example: "input.value: is required"
            return string.Join("; ", problem.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
        }
    }

    /// <summary>A run inside the request that failed: 422 with the execution and its error code.</summary>
    public static async Task<string?> FailedRunCodeAsync(AsyncFunctionsClient functions)
    {
        try
        {
            await functions.RunAsync("examples.fail", new { message = "no" });
            return null;
        }
        catch (AsyncFunctionsProblemException problem) when (problem.Status == 422)
        {
            return $"{problem.ExecutionId} failed with {problem.Code}";
        }
    }
}
