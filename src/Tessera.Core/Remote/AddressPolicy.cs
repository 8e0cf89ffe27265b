using System.Net;
using System.Net.Sockets;

namespace Tessera.Core.Remote;

/// <summary>Which destination addresses a fetch may connect to. Everything that is not plainly public unicast is
/// denied; addresses that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that address.</summary>
public static class AddressPolicy
{
    private static readonly (IPNetwork Network, string Reason)[] V4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified (0.0.0.0/8)"),
        (IPNetwork.Parse("10.0.0.0/8"), "private (10.0.0.0/8)"),
        (IPNetwork.Parse("100.64.0.0/10"), "carrier-grade NAT (100.64.0.0/10)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback (127.0.0.0/8)"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local / cloud metadata (169.254.0.0/16)"),
        (IPNetwork.Parse("172.16.0.0/12"), "private (172.16.0.0/12)"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignments (192.0.0.0/24)"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation (192.0.2.0/24)"),
        (IPNetwork.Parse("192.88.99.0/24"), "6to4 relay anycast (192.88.99.0/24)"),
        (IPNetwork.Parse("192.168.0.0/16"), "private (192.168.0.0/16)"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking (198.18.0.0/15)"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation (198.51.100.0/24)"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation (203.0.113.0/24)"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast (224.0.0.0/4)"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved / broadcast (240.0.0.0/4)"),
    ];

    private static readonly (IPNetwork Network, string Reason)[] V6 =
    [
        (IPNetwork.Parse("100::/64"), "discard-only (100::/64)"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "local-use NAT64 (64:ff9b:1::/48)"),
        (IPNetwork.Parse("2001::/32"), "Teredo (2001::/32)"),
        (IPNetwork.Parse("2001:2::/48"), "benchmarking (2001:2::/48)"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation (2001:db8::/32)"),
        (IPNetwork.Parse("3fff::/20"), "documentation (3fff::/20)"),
        (IPNetwork.Parse("fc00::/7"), "unique local (fc00::/7)"),
        (IPNetwork.Parse("fe80::/10"), "link-local (fe80::/10)"),
        (IPNetwork.Parse("fec0::/10"), "site-local (fec0::/10)"),
        (IPNetwork.Parse("ff00::/8"), "multicast (ff00::/8)"),
    ];

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>True when <paramref name="address"/> is not a public unicast destination.</summary>
    public static bool IsDenied(IPAddress address, out string reason)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return Check(V4, address, out reason);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            reason = $"not an IP address ({address.AddressFamily})";
            return true;
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            reason = "unspecified (::)";
            return true;
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            reason = "loopback (::1)";
            return true;
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        if (address.IsIPv4MappedToIPv6)
        {
            return Embedded("IPv4-mapped", new IPAddress(b[12..]), out reason);
        }

        if (b[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return Embedded("IPv4-compatible", new IPAddress(b[12..]), out reason);
        }

        if (Nat64.Contains(address))
        {
            return Embedded("NAT64", new IPAddress(b[12..]), out reason);
        }

        if (SixToFour.Contains(address))
        {
            return Embedded("6to4", new IPAddress(b[2..6]), out reason);
        }

        if (Check(V6, address, out reason))
        {
            return true;
        }

        reason = "not global unicast (outside 2000::/3)";
        return !GlobalUnicast.Contains(address);
    }

    /// <summary>True when the address may be connected to: inside one of <paramref name="allowedNetworks"/>
    /// (IPv4-mapped addresses count as their IPv4 address) or not denied.</summary>
    public static bool IsPermitted(IPAddress address, IReadOnlyList<IPNetwork> allowedNetworks, out string reason)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(allowedNetworks);
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in allowedNetworks)
        {
            if (network.Contains(plain))
            {
                reason = $"in allowed network {network}";
                return true;
            }
        }

        return !IsDenied(address, out reason);
    }

    private static bool Embedded(string kind, IPAddress v4, out string reason)
    {
        var denied = Check(V4, v4, out var inner);
        reason = denied ? $"{kind} form of {v4}: {inner}" : "";
        return denied;
    }

    private static bool Check((IPNetwork Network, string Reason)[] table, IPAddress address, out string reason)
    {
        foreach (var (network, why) in table)
        {
            if (network.Contains(address))
            {
                reason = why;
                return true;
            }
        }

        reason = "";
        return false;
    }
}
