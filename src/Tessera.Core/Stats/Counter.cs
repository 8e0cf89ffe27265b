namespace Tessera.Core.Stats;

/// <summary>Request outcomes counted by the server and persisted in the index.</summary>
public enum Counter
{
    Hits,
    Misses,
    Placeholders,
    NotModified,
    Rejected,
    Warmed,
    Evictions,
    Negatives,
    Errors,

    /// <summary>Renditions the size guard replaced or refused (persisted as "oversized").</summary>
    Oversized,

    /// <summary>Requests refused by a per-client limit (429): a miss past Limits:MissesPerMinute, an API call past Limits:ApiPerMinute.</summary>
    RateLimited,
}
