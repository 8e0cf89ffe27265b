namespace Tessera.Core.Index;

/// <summary>Cleanup queries. Every listing is a keyset page, so a cleanup of a million rows never holds them all.</summary>
public interface ICleanupIndex
{
    /// <summary>Fingerprinted source paths after <paramref name="after"/>, in path order.</summary>
    Task<IReadOnlyList<string>> FingerprintPathsAsync(string after, int limit, CancellationToken cancellationToken);

    /// <summary>Forgets these fingerprints, then deletes the rendition rows whose content no fingerprint has any more,
    /// in one transaction; returns what went so the caller can remove the files. Without commit it rolls back, which
    /// gives a dry run the exact answer. Rows rebuilt from files have no content hash and are kept: nothing says
    /// their source is gone.</summary>
    Task<(int Fingerprints, IReadOnlyList<StoredKey> Renditions)> RemoveDeletedSourcesAsync(
        IReadOnlyCollection<string> paths, bool commit, CancellationToken cancellationToken);

    /// <summary>Rendition rows after <paramref name="after"/> in key order, optionally only those last used before a time.</summary>
    Task<IReadOnlyList<StoredKey>> RenditionPageAsync(string after, long? accessedBefore, int limit, CancellationToken cancellationToken);
}
