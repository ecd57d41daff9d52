namespace AsyncFunctions.Awaiting;

/// <summary>Thrown when an await names ids that no execution has.</summary>
public sealed class UnknownExecutionsException : Exception
{
    public UnknownExecutionsException(IReadOnlyList<string> ids)
        : base("Unknown execution ids: " + string.Join(", ", ids))
    {
        Ids = ids;
    }

    public UnknownExecutionsException()
        : this([])
    {
    }

    public UnknownExecutionsException(string message)
        : base(message)
    {
        Ids = [];
    }

    public UnknownExecutionsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Ids = [];
    }

    public IReadOnlyList<string> Ids { get; }
}
