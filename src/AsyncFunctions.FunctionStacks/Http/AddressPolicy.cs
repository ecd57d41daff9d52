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
            if (EmbeddedIPv4(b) is { } embedded)
            {
                // NAT64, 6to4 and the old IPv4-compatible forms reach an IPv4 address: judge that one.
                return IsPublic(embedded);
            }

            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC // fc00::/7 unique local
                || address.IsIPv6Teredo
                || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4] == 0x00 && b[5] == 0x01) // 64:ff9b:1::/48 local-use NAT64
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)); // 2001:db8::/32 documentation
        }

        return false;
    }

    private static IPAddress? EmbeddedIPv4(byte[] b)
    {
        // 64:ff9b::/96, NAT64 well-known prefix: the last four bytes.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        // 2002::/16, 6to4: bytes 2-5.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return new IPAddress(b.AsSpan(2, 4));
        }

        // ::/96 (IPv4-compatible) and ::ffff:0:0/96 (IPv4-translated): the last four bytes.
        var translated = b[8] == 0xFF && b[9] == 0xFF && b[10] == 0 && b[11] == 0;
        if (b.AsSpan(0, 8).IndexOfAnyExcept((byte)0) < 0 && (translated || b.AsSpan(8, 4).IndexOfAnyExcept((byte)0) < 0))
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        return null;
    }
}
