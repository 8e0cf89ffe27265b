namespace Tessera.Core.Index;

/// <summary>What the request path records and checks about stored renditions.</summary>
public interface IRenditionIndex
{
    /// <summary>Adds or updates a rendition's row; an update keeps the content hash, preset and time it does not name.</summary>
    Task RecordRenditionAsync(RenditionRecord rendition, CancellationToken cancellationToken);

    /// <summary>The recorded length and checksum of a rendition, or null when it has no row.</summary>
    Task<RenditionCheck?> GetRenditionCheckAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes the rendition rows of one preset, of some source contents, or (both null) all of them,
    /// and returns what was deleted so the caller can remove the files after the rows.</summary>
    Task<IReadOnlyList<StoredKey>> RemoveRenditionsAsync(string? preset, IReadOnlyCollection<string>? contentHashes, CancellationToken cancellationToken);

    /// <summary>Which of these keys have a rendition row.</summary>
    Task<IReadOnlySet<string>> ExistingKeysAsync(IEnumerable<string> keys, CancellationToken cancellationToken);

    /// <summary>What is known of the renditions these keys name (size and preview), in one or a few queries; keys
    /// without a row are absent.</summary>
    Task<IReadOnlyDictionary<string, RenditionInfo>> GetRenditionsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Records that a non-public library answered with this rendition key (idempotent).</summary>
    Task MarkLibraryAsync(string key, string library, CancellationToken cancellationToken);

    /// <summary>The non-public libraries that answered with this key; empty for a public rendition.</summary>
    Task<IReadOnlyList<string>> LibrariesOfAsync(string key, CancellationToken cancellationToken);
}

/// <summary>One stored rendition. Preset and content hash are unknown for rows rebuilt from files.</summary>
public sealed record RenditionRecord(string Key, string Extension, long Bytes, string? ContentHash, string? Preset, int Width, int Height, double? GenerationMs)
{
    /// <summary>SHA-256 of the rendition's bytes, checked on every read from disk.</summary>
    public string? Checksum { get; init; }

    /// <summary>The settings version that made it (<see cref="Cache.RenditionKey.SettingsVersion"/>); null for originals
    /// and rows rebuilt from files.</summary>
    public string? Settings { get; init; }

    /// <summary>Its preview (ThumbHash and colour), computed when it was generated; null keeps what the row has.</summary>
    public Pipeline.Preview? Preview { get; init; }
}

/// <summary>A stored rendition as the manifest reads it. Width and height are 0 for rows rebuilt from files; the
/// preview is null for renditions made before previews were kept.</summary>
public sealed record RenditionInfo(string Key, string Extension, int Width, int Height, Pipeline.Preview? Preview);

/// <summary>What the index recorded about a rendition: length and SHA-256 (null for rows rebuilt from files).</summary>
public sealed record RenditionCheck(string Key, string Extension, long Bytes, string? Checksum)
{
    /// <summary>The settings version recorded with the rendition, or null.</summary>
    public string? Settings { get; init; }
}

/// <summary>A rendition removed from the index: its file is the caller's to delete.</summary>
public sealed record StoredKey(string Key, string Extension, long Bytes);
