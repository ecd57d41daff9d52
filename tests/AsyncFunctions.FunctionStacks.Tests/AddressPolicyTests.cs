using System.Net;
using AsyncFunctions.FunctionStacks.Http;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>The address guard of request steps, judged on addresses alone (no traffic is sent).</summary>
public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("0.1.2.3", "this network")]
    [InlineData("10.255.255.255", "private use")]
    [InlineData("100.64.0.1", "shared address space")]
    [InlineData("100.127.255.255", "shared address space")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("172.16.0.1", "private use")]
    [InlineData("172.31.255.255", "private use")]
    [InlineData("192.0.0.9", "IETF protocol assignments")]
    [InlineData("192.0.0.170", "IETF protocol assignments")]
    [InlineData("192.0.2.1", "TEST-NET-1")]
    [InlineData("192.31.196.1", "AS112-v4")]
    [InlineData("192.52.193.1", "AMT")]
    [InlineData("192.88.99.1", "6to4 relay")]
    [InlineData("192.168.1.1", "private use")]
    [InlineData("192.175.48.1", "AS112 service")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("198.19.255.255", "benchmarking")]
    [InlineData("198.51.100.7", "TEST-NET-2")]
    [InlineData("203.0.113.9", "TEST-NET-3")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.255", "multicast")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("255.255.255.255", "limited broadcast")]
    [InlineData("::", "unspecified")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:10.0.0.1", "IPv4-mapped of 10.0.0.1, private use")]
    [InlineData("::ffff:192.0.2.1", "TEST-NET-1")]
    [InlineData("64:ff9b::c000:201", "NAT64) of 192.0.2.1")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local")]
    [InlineData("64:ff9b:1::808:808", "local-use IPv4/IPv6 translation")]
    [InlineData("100::1", "discard-only")]
    [InlineData("100:0:0:1::1", "dummy IPv6 prefix")]
    [InlineData("2001::1", "Teredo")]
    [InlineData("2001:1::1", "IETF protocol assignments")]
    [InlineData("2001:2::1", "benchmarking")]
    [InlineData("2001:3::1", "IETF protocol assignments")]
    [InlineData("2001:4:112::1", "IETF protocol assignments")]
    [InlineData("2001:10::1", "ORCHID")]
    [InlineData("2001:20::1", "ORCHIDv2")]
    [InlineData("2001:30::1", "IETF protocol assignments")]
    [InlineData("2001:1ff:ffff::1", "IETF protocol assignments")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("2002:a00:1::1", "6to4 of 10.0.0.1")]
    [InlineData("2002:c000:201::1", "TEST-NET-1")]
    [InlineData("2620:4f:8000::1", "AS112 service")]
    [InlineData("3fff::1", "documentation")]
    [InlineData("3fff:fff::1", "documentation")]
    [InlineData("5f00::1", "segment routing")]
    [InlineData("fc00::1", "unique local")]
    [InlineData("fd00::1", "unique local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::a9fe:a9fe", "reserved")]
    [InlineData("::808:808", "reserved")]
    [InlineData("::ffff:0:808:808", "reserved")]
    [InlineData("4000::1", "reserved")]
    [InlineData("1000::1", "reserved")]
    [InlineData("e000::1", "reserved")]
    public void Special_purpose_addresses_are_refused_naming_their_range(string address, string range)
    {
        var refused = AddressPolicy.RefusingRange(IPAddress.Parse(address), []);

        Assert.NotNull(refused);
        Assert.Contains(range, refused.Name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.0.1.255")]
    [InlineData("192.0.3.0")]
    [InlineData("192.88.98.255")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("203.0.112.255")]
    [InlineData("223.255.255.255")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    [InlineData("2001:200::1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2001:db9::1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2620:4f:8001::1")]
    [InlineData("3fff:1000::1")]
    public void Global_unicast_addresses_pass(string address) =>
        Assert.Null(AddressPolicy.RefusingRange(IPAddress.Parse(address), []));

    [Theory]
    [InlineData("10.1.2.3", "10.0.0.0/8", true)]
    [InlineData("10.1.2.3", "10.1.2.3/32", true)]
    [InlineData("10.1.2.4", "10.1.2.3/32", false)]
    [InlineData("10.1.2.3", "192.168.0.0/16", false)]
    [InlineData("::ffff:10.1.2.3", "10.0.0.0/8", true)]
    [InlineData("64:ff9b::a00:1", "10.0.0.0/8", true)]
    [InlineData("192.0.2.5", "192.0.2.0/24", true)]
    [InlineData("127.0.0.1", "127.0.0.0/8", true)]
    [InlineData("fd00:1::5", "fd00:1::/64", true)]
    [InlineData("fd00:2::5", "fd00:1::/64", false)]
    [InlineData("::1", "::1/128", true)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.0/104", false)]
    public void An_allowed_network_opens_its_addresses_only(string address, string network, bool passes)
    {
        var allowed = AddressPolicy.ParseNetworks([network]);

        Assert.Single(allowed);
        Assert.Equal(passes, AddressPolicy.RefusingRange(IPAddress.Parse(address), allowed) is null);
    }

    [Fact]
    public void Every_range_of_the_table_refuses_its_first_and_last_address()
    {
        foreach (var range in SpecialPurposeRanges.All.Where(r => r.EmbeddedIPv4At is null))
        {
            var first = range.Network.BaseAddress.GetAddressBytes();
            var last = (byte[])first.Clone();
            for (var bit = range.Network.PrefixLength; bit < last.Length * 8; bit++)
            {
                last[bit / 8] |= (byte)(0x80 >> (bit % 8));
            }

            Assert.False(AddressPolicy.IsPublic(new IPAddress(first)), $"{range.Network} lets {new IPAddress(first)} through");
            Assert.False(AddressPolicy.IsPublic(new IPAddress(last)), $"{range.Network} lets {new IPAddress(last)} through");
        }
    }

    [Fact]
    public void A_bad_allowed_network_stops_the_start_naming_the_key()
    {
        var options = new Hosting.FunctionStacksOptions();
        options.AllowedNetworks.Add("10.0.0.0/8");
        options.AllowedNetworks.Add("10.1.0.0/8");
        options.AllowedNetworks.Add("intranet");

        var result = new Hosting.FunctionStacksOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.StartsWith("AsyncFunctions:Stacks:AllowedNetworks:1 is '10.1.0.0/8'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("AsyncFunctions:Stacks:AllowedNetworks:2 is 'intranet'", StringComparison.Ordinal));
    }
}
