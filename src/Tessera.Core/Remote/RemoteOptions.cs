using System.Net;

namespace Tessera.Core.Remote;

/// <summary>Limits and policy for fetching originals from provider URLs. Pass the same instance to
/// <see cref="RemoteHttp"/> and <see cref="RemoteFetcher"/>: the handler's connect-time guard and the fetcher's
/// syntactic checks must agree on the allowed networks.</summary>
public sealed class RemoteOptions
{
    /// <summary>Whole download per attempt: connect, headers and body.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public long MaxBytes { get; set; } = 20L * 1024 * 1024;

    public int MaxRedirects { get; set; } = 5;

    public int MaxRetries { get; set; } = 2;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A Retry-After longer than this is not waited for: the fetch fails and reports it.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Concurrent attempts per host name; also the handler's MaxConnectionsPerServer.</summary>
    public int MaxConnectionsPerHost { get; set; } = 4;

    /// <summary>Empty: any public host. "example.com" matches exactly, "*.example.com" any subdomain of it.</summary>
    public List<string> AllowedHosts { get; } = [];

    /// <summary>CIDRs ("10.0.0.0/8", "::1/128", or a bare address) exempt from the SSRF deny list.</summary>
    public List<string> AllowedNetworks { get; } = [];

    /// <summary>Pacing per host name (lower case): at most this many requests a minute, evenly spaced (Discogs allows
    /// 60). Hosts not listed are not paced; 0 turns a host's pacing off.</summary>
    public Dictionary<string, int> HostRequestsPerMinute { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The longest a paced fetch waits for its turn before it fails as an upstream error (default 10 s).</summary>
    public TimeSpan MaxPaceWait { get; set; } = TimeSpan.FromSeconds(10);

    public string UserAgent { get; set; } = "Tessera/1.0 (+thumbnail cache)";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        Require(Timeout > TimeSpan.Zero && Timeout <= TimeSpan.FromHours(24), $"Timeout must be positive and at most 24 h (got {Timeout}).");
        Require(MaxBytes > 0 && MaxBytes <= Array.MaxLength, $"MaxBytes must be between 1 and {Array.MaxLength} (got {MaxBytes}).");
        Require(MaxRedirects is >= 0 and <= 50, $"MaxRedirects must be between 0 and 50 (got {MaxRedirects}).");
        Require(MaxRetries is >= 0 and <= 20, $"MaxRetries must be between 0 and 20 (got {MaxRetries}).");
        Require(RetryBaseDelay >= TimeSpan.Zero && RetryBaseDelay <= TimeSpan.FromDays(1), $"RetryBaseDelay must be between 0 and 1 day (got {RetryBaseDelay}).");
        Require(MaxRetryAfter >= TimeSpan.Zero && MaxRetryAfter <= TimeSpan.FromDays(1), $"MaxRetryAfter must be between 0 and 1 day (got {MaxRetryAfter}).");
        Require(MaxConnectionsPerHost >= 1, $"MaxConnectionsPerHost must be at least 1 (got {MaxConnectionsPerHost}).");
        Require(MaxPaceWait >= TimeSpan.Zero && MaxPaceWait <= TimeSpan.FromMinutes(10), $"MaxPaceWait must be between 0 and 10 min (got {MaxPaceWait}).");
        foreach (var (host, perMinute) in HostRequestsPerMinute)
        {
            Require(perMinute >= 0, $"HostRequestsPerMinute: '{host}' must be 0 (off) or more (got {perMinute}).");
        }

        Require(!string.IsNullOrWhiteSpace(UserAgent) && !UserAgent.Any(char.IsControl), "UserAgent must be non-empty printable text.");
        foreach (var host in AllowedHosts)
        {
            Require(HostPattern.TryParse(host, out _), $"AllowedHosts: '{host}' is not a host name or '*.domain' pattern.");
        }

        _ = ParseAllowedNetworks();
    }

    internal IReadOnlyList<IPNetwork> ParseAllowedNetworks()
    {
        var networks = new List<IPNetwork>(AllowedNetworks.Count);
        foreach (var text in AllowedNetworks)
        {
            var trimmed = text?.Trim() ?? "";
            if (IPNetwork.TryParse(trimmed, out var network))
            {
                networks.Add(network);
            }
            else if (!trimmed.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(trimmed, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new ArgumentException($"RemoteOptions.AllowedNetworks: '{text}' is not a CIDR such as 10.0.0.0/8 or ::1/128.");
            }
        }

        return networks;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException("RemoteOptions." + message);
        }
    }
}
