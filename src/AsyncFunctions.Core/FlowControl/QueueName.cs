namespace AsyncFunctions.FlowControl;

/// <summary>
/// What a queue may be called: the names every job storage accepts. Hangfire's own rule
/// (<c>EnqueuedState.Queue</c>: lower-case letters, digits, <c>_</c> and <c>-</c>) is the strictest
/// of them; the storages keep the name in a column (SQL Server <c>nvarchar(50)</c>, PostgreSQL
/// <c>text</c>) or a Redis key, so the length is capped at the narrowest, 50.
/// </summary>
public static class QueueName
{
    public const int MaxLength = 50;

    /// <summary>Why <paramref name="name"/> is not a queue name, or null when it is one.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a queue name must not be empty";
        }

        if (name.Length > MaxLength)
        {
            return $"'{Shorten(name)}' is not a valid queue name: use at most {MaxLength} characters";
        }

        foreach (var ch in name)
        {
            if (ch is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-'))
            {
                return $"'{Shorten(name)}' is not a valid queue name: use lower-case letters a-z, digits, '_' or '-' (Hangfire's rule)";
            }
        }

        return null;
    }

    public static bool IsValid(string? name) => Problem(name) is null;

    private static string Shorten(string name) => name.Length <= 60 ? name : name[..60] + "…";
}
