using System.Net;
using System.Net.Sockets;

namespace AsyncFunctions.FunctionStacks.Http;

/// <summary>Which addresses request steps may reach without an allow-list entry: public unicast ones only.</summary>
internal static class AddressPolicy
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ||
            address.Equals(IPAddress.None) || address.Equals(IPAddress.IPv6None))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 // 0.0.0.0/8 "this network"
                || b[0] == 10 // 10/8 private
                || b[0] == 127 // loopback
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) // 100.64/10 carrier-grade NAT
                || (b[0] == 169 && b[1] == 254) // link-local
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) // 172.16/12 private
                || (b[0] == 192 && b[1] == 168) // 192.168/16 private
                || (b[0] == 192 && b[1] == 0 && b[2] == 0) // IETF protocol assignments
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19)) // benchmarking
                || b[0] >= 224); // multicast, reserved, broadcast
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC // fc00::/7 unique local
                || address.IsIPv6Teredo
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)); // 2001:db8::/32 documentation
        }

        return false;
    }
}
