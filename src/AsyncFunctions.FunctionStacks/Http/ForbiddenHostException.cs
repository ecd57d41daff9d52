namespace AsyncFunctions.FunctionStacks.Http;

/// <summary>Thrown when a request step's host resolves to an address that is not public and the host is not allow-listed.</summary>
public sealed class ForbiddenHostException : Exception
{
    public ForbiddenHostException(string host, string address)
        : base($"The host '{host}' resolves to {address}, which is not a public address; an administrator can allow the host in AsyncFunctions:Stacks:AllowedHosts or its network in AsyncFunctions:Stacks:AllowedNetworks.")
    {
        Host = host;
    }

    public ForbiddenHostException()
        : this("", "")
    {
    }

    public ForbiddenHostException(string message)
        : base(message)
    {
        Host = "";
    }

    public ForbiddenHostException(string message, Exception innerException)
        : base(message, innerException)
    {
        Host = "";
    }

    public string Host { get; }
}
