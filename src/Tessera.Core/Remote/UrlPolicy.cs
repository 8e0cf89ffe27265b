using System.Net;

namespace Tessera.Core.Remote;

/// <summary>The syntactic checks every hop passes before any I/O: scheme, credentials, host allow-list, and IP
/// literals against the address policy. Host names are judged again at connect time by <see cref="ConnectGuard"/>.</summary>
internal sealed class UrlPolicy
{
    private readonly HostPattern[] _hosts;
    private readonly IReadOnlyList<IPNetwork> _networks;

    public UrlPolicy(RemoteOptions options)
    {
        _networks = options.ParseAllowedNetworks();
        _hosts = [.. options.AllowedHosts.Select(h => HostPattern.TryParse(h, out var p) ? p : throw new ArgumentException($"RemoteOptions.AllowedHosts: '{h}' is not a host name or '*.domain' pattern."))];
    }

    public bool TryCheck(Uri uri, out string? reason)
    {
        reason = Check(uri);
        return reason is null;
    }

    private string? Check(Uri uri)
    {
        if (!uri.IsAbsoluteUri)
        {
            return "not an absolute URL";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"scheme '{uri.Scheme}' is not http or https";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "credentials (user info) in the URL are not allowed";
        }

        if (uri.Host.Length == 0)
        {
            return "no host";
        }

        var host = HostPattern.Normalize(uri.IdnHost);
        if (_hosts.Length > 0 && !Array.Exists(_hosts, p => p.Matches(host)))
        {
            return $"host '{host}' is not in AllowedHosts";
        }

        // Uri has already turned 2130706433, 0x7f.0.0.1, 0177.0.0.1 and 127.1 into 127.0.0.1.
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(uri.Host.TrimStart('[').TrimEnd(']'), out var address)
            && !AddressPolicy.IsPermitted(address, _networks, out var why))
        {
            return $"address {address} is {why}";
        }

        return null;
    }
}
