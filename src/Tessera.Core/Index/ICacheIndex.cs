namespace Tessera.Core.Index;

/// <summary>The cache's index: SQLite in one data folder now; PostgreSQL when several replicas share one.</summary>
public interface ICacheIndex
{
    /// <summary>The stored fingerprint of a source file, or null.</summary>
    Task<Fingerprint?> GetFingerprintAsync(string path, CancellationToken cancellationToken);

    Task PutFingerprintAsync(Fingerprint fingerprint, CancellationToken cancellationToken);

    Task RecordRenditionAsync(RenditionRecord rendition, CancellationToken cancellationToken);

    /// <summary>The recorded length and checksum of a rendition, or null when it has no row.</summary>
    Task<RenditionCheck?> GetRenditionCheckAsync(string key, CancellationToken cancellationToken);

    /// <summary>Adds request counters (hits, misses, …) persisted across restarts.</summary>
    Task AddCountersAsync(IReadOnlyDictionary<string, long> deltas, CancellationToken cancellationToken);

    Task<IndexSummary> SummarizeAsync(CancellationToken cancellationToken);

    /// <summary>Replaces every rendition row with what the store holds. Returns the rows written.</summary>
    Task<int> RebuildRenditionsAsync(IEnumerable<Storage.StoredRendition> stored, CancellationToken cancellationToken);
}

/// <summary>A source file's identity: (size, mtime) stand in for the content hash until either changes.</summary>
public sealed record Fingerprint(string Path, long Size, long MtimeTicks, string ContentHash);

/// <summary>One stored rendition. Preset and content hash are unknown for rows rebuilt from files.</summary>
public sealed record RenditionRecord(string Key, string Extension, long Bytes, string? ContentHash, string? Preset, int Width, int Height, double? GenerationMs)
{
    /// <summary>SHA-256 of the rendition's bytes, checked on every read from disk.</summary>
    public string? Checksum { get; init; }
}

/// <summary>Index-wide figures for /api/stats and `tessera status`.</summary>
public sealed record IndexSummary(
    long Items,
    long Renditions,
    long Bytes,
    IReadOnlyDictionary<string, long> Counters,
    IReadOnlyDictionary<string, PresetUsage> ByPreset,
    double? GenerationP50Ms,
    double? GenerationP95Ms,
    double? GenerationP99Ms);

public sealed record PresetUsage(long Renditions, long Bytes);
