using System.Net;

namespace AsyncFunctions.FunctionStacks.Http;

/// <summary>
/// The addresses request steps do not reach unless an administrator allows them: the IANA IPv4
/// and IPv6 Special-Purpose Address Registries, multicast, and every IPv6 block outside global
/// unicast 2000::/3 (IANA IPv6 Address Space). An address is judged by its longest matching range.
/// </summary>
internal static class SpecialPurposeRanges
{
    public static IReadOnlyList<SpecialPurposeRange> All { get; } =
    [
        // IPv4 Special-Purpose Address Registry
        Range("0.0.0.0/8", "this network"),
        Range("10.0.0.0/8", "private use"),
        Range("100.64.0.0/10", "shared address space (carrier-grade NAT)"),
        Range("127.0.0.0/8", "loopback"),
        Range("169.254.0.0/16", "link-local"),
        Range("172.16.0.0/12", "private use"),
        Range("192.0.0.0/24", "IETF protocol assignments"),
        Range("192.0.2.0/24", "documentation (TEST-NET-1)"),
        Range("192.31.196.0/24", "AS112-v4"),
        Range("192.52.193.0/24", "AMT"),
        Range("192.88.99.0/24", "deprecated 6to4 relay anycast"),
        Range("192.168.0.0/16", "private use"),
        Range("192.175.48.0/24", "direct delegation AS112 service"),
        Range("198.18.0.0/15", "benchmarking"),
        Range("198.51.100.0/24", "documentation (TEST-NET-2)"),
        Range("203.0.113.0/24", "documentation (TEST-NET-3)"),
        Range("224.0.0.0/4", "multicast"),
        Range("240.0.0.0/4", "reserved"),
        Range("255.255.255.255/32", "limited broadcast"),

        // IPv6 Special-Purpose Address Registry
        Range("::/128", "unspecified"),
        Range("::1/128", "loopback"),
        Range("::ffff:0:0/96", "IPv4-mapped", embeddedIPv4At: 12),
        Range("64:ff9b::/96", "IPv4/IPv6 translation (NAT64)", embeddedIPv4At: 12),
        Range("64:ff9b:1::/48", "local-use IPv4/IPv6 translation"),
        Range("100::/64", "discard-only"),
        Range("100:0:0:1::/64", "dummy IPv6 prefix"),
        Range("2001::/23", "IETF protocol assignments"),
        Range("2001::/32", "Teredo"),
        Range("2001:2::/48", "benchmarking"),
        Range("2001:10::/28", "deprecated ORCHID"),
        Range("2001:20::/28", "ORCHIDv2"),
        Range("2001:db8::/32", "documentation"),
        Range("2002::/16", "6to4", embeddedIPv4At: 2),
        Range("2620:4f:8000::/48", "direct delegation AS112 service"),
        Range("3fff::/20", "documentation"),
        Range("5f00::/16", "segment routing SIDs"),
        Range("fc00::/7", "unique local"),
        Range("fe80::/10", "link-local"),

        // IPv6 Address Space: everything outside 2000::/3 is reserved, local or multicast
        Range("::/8", "reserved (includes the deprecated IPv4-compatible ::/96)"),
        Range("100::/8", "reserved"),
        Range("200::/7", "reserved"),
        Range("400::/6", "reserved"),
        Range("800::/5", "reserved"),
        Range("1000::/4", "reserved"),
        Range("4000::/2", "reserved"),
        Range("8000::/2", "reserved"),
        Range("c000::/3", "reserved"),
        Range("e000::/4", "reserved"),
        Range("f000::/5", "reserved"),
        Range("f800::/6", "reserved"),
        Range("fe00::/9", "reserved"),
        Range("fec0::/10", "deprecated site-local"),
        Range("ff00::/8", "multicast"),
    ];

    /// <summary>The most specific range holding the address, or null for a global unicast one.</summary>
    public static SpecialPurposeRange? Find(IPAddress address)
    {
        SpecialPurposeRange? best = null;
        foreach (var range in All)
        {
            if (SpecialPurposeRange.Holds(range.Network, address) && (best is null || range.Network.PrefixLength > best.Network.PrefixLength))
            {
                best = range;
            }
        }

        return best;
    }

    private static SpecialPurposeRange Range(string network, string name, int? embeddedIPv4At = null) =>
        new(IPNetwork.Parse(network), name, embeddedIPv4At);
}
