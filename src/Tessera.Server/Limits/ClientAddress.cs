using System.Net;
using Microsoft.AspNetCore.Http;
using Tessera.Core.Limits;

namespace Tessera.Server.Limits;

/// <summary>Who a request is from, for per-client limits: the connection's address, or — only when that address is a
/// trusted proxy (Limits:TrustedProxies) — the nearest X-Forwarded-For entry that is not itself a trusted proxy.
/// A client cannot pick its own partition by sending the header straight to Tessera.</summary>
internal static class ClientAddress
{
    public static string Of(HttpContext context, ProxyNetworks proxies)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null)
        {
            return "unknown";
        }

        if (proxies.IsEmpty || !proxies.Contains(remote))
        {
            return Text(remote);
        }

        var hops = context.Request.Headers["X-Forwarded-For"].SelectMany(v => (v ?? "").Split(',')).Select(h => h.Trim()).ToArray();
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop))
            {
                break; // a malformed entry: trust nothing left of it
            }

            if (!proxies.Contains(hop))
            {
                return Text(hop);
            }
        }

        return Text(remote);
    }

    private static string Text(IPAddress address) => (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
