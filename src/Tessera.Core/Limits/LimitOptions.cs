namespace Tessera.Core.Limits;

/// <summary>Per-client request limits (Limits:*). 0 turns a limit off.</summary>
public sealed class LimitOptions
{
    /// <summary>Requests per client per minute that would fetch from a provider or generate a rendition; hits never count.</summary>
    public int MissesPerMinute { get; set; } = 600;

    /// <summary>/api/ requests per client per minute.</summary>
    public int ApiPerMinute { get; set; } = 600;

    /// <summary>Proxies (CIDRs or addresses) whose X-Forwarded-For names the client; empty: the connection's address is the client.</summary>
    public List<string> TrustedProxies { get; } = [];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        Require(MissesPerMinute >= 0, $"MissesPerMinute must be 0 (off) or more (got {MissesPerMinute}).");
        Require(ApiPerMinute >= 0, $"ApiPerMinute must be 0 (off) or more (got {ApiPerMinute}).");
        _ = ProxyNetworks.Parse(TrustedProxies);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException("LimitOptions." + message);
        }
    }
}
