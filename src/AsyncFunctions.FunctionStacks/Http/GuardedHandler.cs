using System.Net;
using System.Net.Sockets;
using AsyncFunctions.FunctionStacks.Hosting;

namespace AsyncFunctions.FunctionStacks.Http;

/// <summary>
/// The HTTP handler of request steps. Every connection resolves its host itself and refuses it
/// unless every resolved address is public or in an allowed network, or the host is allow-listed;
/// it then connects to those very addresses, so a DNS answer cannot change between the check and
/// the connection. Redirects are not followed and no proxy is used.
/// </summary>
public static class GuardedHandler
{
    public static SocketsHttpHandler Create(FunctionStacksOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(options, context.DnsEndPoint, cancellationToken),
    };

    /// <summary>An entry is a host ("hooks.internal", "[::1]": any port) or a host and port ("localhost:5080").</summary>
    internal static bool IsAllowListed(FunctionStacksOptions options, string host, int port) =>
        options.AllowedHosts.Exists(entry =>
        {
            var (allowedHost, allowedPort) = ParseEntry(entry);
            return string.Equals(allowedHost.TrimEnd('.'), Name(host), StringComparison.OrdinalIgnoreCase) && (allowedPort is null || allowedPort == port);
        });

    private static (string Host, int? Port) ParseEntry(string entry)
    {
        var e = entry.Trim();
        string host, rest;
        if (e.StartsWith('[') && e.IndexOf(']', StringComparison.Ordinal) is var close and > 0)
        {
            (host, rest) = (e[1..close], e[(close + 1)..]);
        }
        else if (e.Count(c => c == ':') == 1)
        {
            (host, rest) = (e[..e.IndexOf(':', StringComparison.Ordinal)], e[e.IndexOf(':', StringComparison.Ordinal)..]);
        }
        else
        {
            (host, rest) = (e, "");
        }

        if (rest.Length == 0)
        {
            return (host, null);
        }

        // A malformed port matches nothing rather than every port.
        return rest.StartsWith(':') && int.TryParse(rest.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? (host, port)
            : ("", 0);
    }

    /// <summary>
    /// Why the guard refuses <paramref name="url"/>'s host (the message of <see cref="ForbiddenHostException"/>),
    /// or null when it lets it through. A host that does not resolve now is not refused: it is judged again at each connection.
    /// </summary>
    public static async Task<string?> RefusalAsync(FunctionStacksOptions options, Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(url);
        try
        {
            await ResolveAllowedAsync(options, url.Host, url.Port, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ForbiddenHostException forbidden)
        {
            return forbidden.Message;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>The message of the <see cref="ForbiddenHostException"/> in <paramref name="exception"/> or its inner exceptions; null when there is none.</summary>
    public static string? RefusalOf(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is ForbiddenHostException forbidden)
            {
                return forbidden.Message;
            }
        }

        return null;
    }

    /// <summary>
    /// The host as DNS reads it: without brackets and without the trailing dot of a fully qualified
    /// name ("localhost." and "127.0.0.1." are "localhost" and "127.0.0.1").
    /// </summary>
    private static string Name(string host) => host.Trim('[', ']').TrimEnd('.');

    /// <summary>
    /// "localhost" and every name under it are loopback (RFC 6761 section 6.3), whatever a resolver
    /// answers today: one that does not know them now may resolve them at the next connection.
    /// </summary>
    private static bool IsLoopbackName(string name) =>
        name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    private static async Task<IPAddress[]> ResolveAllowedAsync(FunctionStacksOptions options, string host, int port, CancellationToken cancellationToken)
    {
        var name = Name(host);
        var allowListed = IsAllowListed(options, host, port);
        if (!allowListed && IsLoopbackName(name))
        {
            throw new ForbiddenHostException(host, "a loopback address (a name under localhost, RFC 6761)");
        }

        var addresses = IPAddress.TryParse(name, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(name, cancellationToken).ConfigureAwait(false);
        if (!allowListed)
        {
            var allowedNetworks = AddressPolicy.ParseNetworks(options.AllowedNetworks);
            foreach (var address in addresses)
            {
                if (AddressPolicy.RefusingRange(address, allowedNetworks) is { } range)
                {
                    throw new ForbiddenHostException(host, $"{address} ({range.Name})");
                }
            }
        }

        return addresses;
    }

    private static async ValueTask<Stream> ConnectAsync(FunctionStacksOptions options, DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAllowedAsync(options, endPoint.Host, endPoint.Port, cancellationToken).ConfigureAwait(false);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
