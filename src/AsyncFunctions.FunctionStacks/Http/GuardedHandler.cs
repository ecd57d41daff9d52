using System.Net;
using System.Net.Sockets;
using AsyncFunctions.FunctionStacks.Hosting;

namespace AsyncFunctions.FunctionStacks.Http;

/// <summary>
/// The HTTP handler of request steps. Every connection resolves its host itself and refuses it
/// unless every resolved address is public or the host is allow-listed; it then connects to those
/// very addresses, so a DNS answer cannot change between the check and the connection. Redirects
/// are not followed and no proxy is used.
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

    internal static bool IsAllowListed(FunctionStacksOptions options, string host) =>
        options.AllowedHosts.Exists(h => string.Equals(h.Trim(), host, StringComparison.OrdinalIgnoreCase));

    private static async ValueTask<Stream> ConnectAsync(FunctionStacksOptions options, DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var host = endPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (!IsAllowListed(options, host))
        {
            foreach (var address in addresses)
            {
                if (!AddressPolicy.IsPublic(address))
                {
                    throw new ForbiddenHostException(host, address.ToString());
                }
            }
        }

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
