namespace Tessera.Core.Index;

/// <summary>What eviction needs from the index: sizes, access times and deletion by key.</summary>
public interface IEvictionIndex
{
    /// <summary>The bytes of every stored rendition.</summary>
    Task<long> TotalBytesAsync(CancellationToken cancellationToken);

    /// <summary>Sets last_access (Unix seconds) for many keys in one transaction.</summary>
    Task TouchAsync(IReadOnlyCollection<KeyValuePair<string, long>> accesses, CancellationToken cancellationToken);

    /// <summary>The least recently used renditions, oldest first.</summary>
    Task<IReadOnlyList<EvictionCandidate>> OldestAsync(int count, CancellationToken cancellationToken);

    /// <summary>Renditions in LRU order after the (last_access, key) cursor: <see cref="OldestAsync"/>, but pageable,
    /// so a dry run can walk past rows it did not delete.</summary>
    Task<IReadOnlyList<EvictionCandidate>> OldestAfterAsync(long lastAccess, string key, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes rendition rows in one transaction; returns the keys that were there to delete.</summary>
    Task<IReadOnlyList<string>> DeleteRenditionsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}

/// <summary>A rendition eviction may remove.</summary>
public sealed record EvictionCandidate(string Key, string Extension, long Bytes, long LastAccess);
