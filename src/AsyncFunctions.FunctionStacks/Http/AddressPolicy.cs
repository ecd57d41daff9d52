using System.Net;

namespace AsyncFunctions.FunctionStacks.Http;

/// <summary>
/// Which addresses request steps may reach: global unicast ones, and those inside a network an
/// administrator allows. The refused ranges are the table of <see cref="SpecialPurposeRanges"/>.
/// </summary>
internal static class AddressPolicy
{
    public static bool IsPublic(IPAddress address) => RefusingRange(address, []) is null;

    /// <summary>The range that keeps request steps from the address, or null when they may reach it.</summary>
    public static SpecialPurposeRange? RefusingRange(IPAddress address, IReadOnlyCollection<IPNetwork> allowed)
    {
        if (allowed.Any(network => SpecialPurposeRange.Holds(network, address)))
        {
            return null;
        }

        var range = SpecialPurposeRanges.Find(address);
        if (range?.EmbeddedIPv4At is { } offset)
        {
            // IPv4-mapped, NAT64 and 6to4 addresses reach an IPv4 address: judge that one.
            var embedded = new IPAddress(address.GetAddressBytes().AsSpan(offset, 4));
            return RefusingRange(embedded, allowed) is { } refused ? range with { Name = $"{range.Name} of {embedded}, {refused.Name}" } : null;
        }

        return range;
    }

    /// <summary>Parses the allowed networks of the settings; the options validator refuses bad entries at start.</summary>
    public static IReadOnlyCollection<IPNetwork> ParseNetworks(IEnumerable<string> entries)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in entries)
        {
            if (TryParseNetwork(entry, out var network))
            {
                networks.Add(network);
            }
        }

        return networks;
    }

    /// <summary>
    /// CIDR notation with no bits set after the prefix: <see cref="IPNetwork.TryParse(string?, out IPNetwork)"/>
    /// would read "10.1.0.0/8" as all of 10.0.0.0/8, a wider network than the one meant.
    /// </summary>
    public static bool TryParseNetwork(string entry, out IPNetwork network)
    {
        var text = entry.Trim();
        var slash = text.LastIndexOf('/');
        return IPNetwork.TryParse(text, out network) && slash > 0 &&
            IPAddress.TryParse(text.AsSpan(0, slash), out var address) && address.Equals(network.BaseAddress);
    }
}
