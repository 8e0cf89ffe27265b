using System.Net;

namespace Tessera.Core.Limits;

/// <summary>The proxies trusted to name the client in X-Forwarded-For: CIDRs ("10.0.0.0/8") or bare addresses.</summary>
public sealed class ProxyNetworks
{
    private readonly IReadOnlyList<IPNetwork> _networks;

    private ProxyNetworks(IReadOnlyList<IPNetwork> networks) => _networks = networks;

    public bool IsEmpty => _networks.Count == 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first entry that is neither a CIDR nor an address.</summary>
    public static ProxyNetworks Parse(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var networks = new List<IPNetwork>();
        foreach (var text in entries)
        {
            var trimmed = text?.Trim() ?? "";
            if (IPNetwork.TryParse(trimmed, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(trimmed, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new ArgumentException($"LimitOptions.TrustedProxies: '{text}' is not a CIDR such as 10.0.0.0/8 or an address.");
            }
        }

        return new ProxyNetworks(networks);
    }

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(a));
    }
}
