using System.Net;

namespace AsyncFunctions.FunctionStacks.Http;

/// <summary>
/// A range of addresses request steps do not reach. When <see cref="EmbeddedIPv4At"/> is set the
/// range only carries an IPv4 address (at that byte offset) and that address is judged instead.
/// </summary>
internal sealed record SpecialPurposeRange(IPNetwork Network, string Name, int? EmbeddedIPv4At = null)
{
    /// <summary>
    /// Compares the prefix bits themselves: <see cref="IPNetwork.Contains"/> treats IPv4-mapped
    /// IPv6 addresses as IPv4 ones, which would let one range stand for another.
    /// </summary>
    public static bool Holds(IPNetwork network, IPAddress address)
    {
        if (network.BaseAddress.AddressFamily != address.AddressFamily)
        {
            return false;
        }

        var prefix = network.BaseAddress.GetAddressBytes();
        var bytes = address.GetAddressBytes();
        for (int i = 0, bits = network.PrefixLength; bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((prefix[i] & mask) != (bytes[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
