using Tessera.Core.Storage;

namespace Tessera.Core.Index;

/// <summary>Keeping the index true to the files: rebuild, verify and SQLite's own check.</summary>
public interface IIndexMaintenance
{
    /// <summary>True when the index was made empty at open (it did not exist, or was damaged and set aside), so its
    /// rendition rows should be rebuilt from the files.</summary>
    bool CreatedNew { get; }

    /// <summary>Replaces every rendition row with what the store holds, keeping what rows already knew. Returns the rows written.</summary>
    Task<int> RebuildRenditionsAsync(IEnumerable<StoredRendition> stored, CancellationToken cancellationToken);

    /// <summary>The damage that made this process set the index aside and start a new one (at open or later), or null.</summary>
    string? Damage { get; }

    /// <summary>Sets a damaged index aside and starts a new one, with the app's data replayed and the rendition rows rebuilt.</summary>
    Task RecreateAsync(string reason, CancellationToken cancellationToken);

    /// <summary>The store's own consistency check: "ok", or the problems it found, one per line.</summary>
    Task<string> IntegrityCheckAsync(CancellationToken cancellationToken);

    /// <summary>Every rendition row with its recorded length and checksum, in key order, for `tessera verify`.</summary>
    IAsyncEnumerable<RenditionCheck> RenditionChecksAsync(CancellationToken cancellationToken);

    /// <summary>Deletes one rendition row.</summary>
    Task DeleteRenditionRowAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every rendition row's key and extension, for checks against the files.</summary>
    Task<IReadOnlyList<(string Key, string Extension)>> RenditionKeysAsync(CancellationToken cancellationToken);
}
