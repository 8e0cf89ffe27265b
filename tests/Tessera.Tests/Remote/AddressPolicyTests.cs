using System.Net;
using Tessera.Core.Remote;

namespace Tessera.Tests.Remote;

public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.254", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.100.100.200", "carrier-grade NAT")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("fd00:ec2::254", "unique local")]
    [InlineData("fc00::1", "unique local")]
    [InlineData("::ffff:127.0.0.1", "IPv4-mapped form of 127.0.0.1: loopback")]
    [InlineData("::ffff:10.1.2.3", "IPv4-mapped form of 10.1.2.3: private")]
    [InlineData("::127.0.0.1", "IPv4-compatible form of 127.0.0.1: loopback")]
    [InlineData("64:ff9b::7f00:1", "NAT64 form of 127.0.0.1: loopback")]
    [InlineData("64:ff9b::a9fe:a9fe", "NAT64 form of 169.254.169.254")]
    [InlineData("2002:7f00:1::", "6to4 form of 127.0.0.1: loopback")]
    [InlineData("2002:c0a8:101::1", "6to4 form of 192.168.1.1: private")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("198.19.255.255", "benchmarking")]
    [InlineData("192.0.2.10", "documentation")]
    [InlineData("198.51.100.10", "documentation")]
    [InlineData("203.0.113.10", "documentation")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("2001:0:4136:e378::1", "Teredo")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("100::1", "discard")]
    [InlineData("::2", "IPv4-compatible")]
    [InlineData("4000::1", "not global unicast")]
    public void Internal_and_special_addresses_are_denied_with_a_reason(string address, string reason)
    {
        Assert.True(AddressPolicy.IsDenied(IPAddress.Parse(address), out var why));
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("169.255.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void Public_unicast_addresses_are_not_denied(string address)
    {
        Assert.False(AddressPolicy.IsDenied(IPAddress.Parse(address), out var why), why);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("::1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("::127.0.0.1", false)]
    [InlineData("8.8.8.8", true)]
    public void An_allowed_network_exempts_exactly_its_own_addresses(string address, bool permitted)
    {
        IReadOnlyList<IPNetwork> allowed = [IPNetwork.Parse("127.0.0.1/32")];
        Assert.Equal(permitted, AddressPolicy.IsPermitted(IPAddress.Parse(address), allowed, out _));
    }

    [Fact]
    public void A_lan_network_exempts_its_addresses_but_not_the_neighbouring_ones()
    {
        IReadOnlyList<IPNetwork> allowed = [IPNetwork.Parse("10.1.0.0/16"), IPNetwork.Parse("fd00:1::/32")];
        Assert.True(AddressPolicy.IsPermitted(IPAddress.Parse("10.1.200.3"), allowed, out _));
        Assert.True(AddressPolicy.IsPermitted(IPAddress.Parse("fd00:1::5"), allowed, out _));
        Assert.False(AddressPolicy.IsPermitted(IPAddress.Parse("10.2.0.1"), allowed, out _));
        Assert.False(AddressPolicy.IsPermitted(IPAddress.Parse("fd00:2::5"), allowed, out _));
    }
}
