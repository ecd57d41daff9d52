using System.Net;
using System.Net.Sockets;

namespace AsyncFunctions.Storage.Tests.Fixtures;

/// <summary>A loopback port that was free a moment ago and has nothing listening on it: a database that cannot be reached.</summary>
internal static class ClosedPort
{
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
