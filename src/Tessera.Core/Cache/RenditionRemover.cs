using Tessera.Core.Index;
using Tessera.Core.Storage;

namespace Tessera.Core.Cache;

/// <summary>The one way renditions leave the cache: rows first, then files, then memory, so the index never lists
/// a file that is gone. Shared by clear/purge, eviction and cleanup.</summary>
internal sealed class RenditionRemover(IEvictionIndex index, IRenditionStore store, HotCache hot)
{
    /// <summary>Deletes the rows of these renditions, then the files and memory of those whose row this call
    /// deleted: a concurrent remover (another process) cannot make one be counted twice.</summary>
    public async Task<IReadOnlyList<StoredKey>> RemoveAsync(IReadOnlyCollection<StoredKey> candidates, CancellationToken cancellationToken)
    {
        var byKey = new Dictionary<string, StoredKey>(candidates.Count, StringComparer.Ordinal);
        foreach (var c in candidates)
        {
            byKey[c.Key] = c;
        }

        var deleted = await index.DeleteRenditionsAsync(byKey.Keys, cancellationToken).ConfigureAwait(false);
        var removed = deleted.Select(key => byKey[key]).ToList();
        DropFiles(removed);
        return removed;
    }

    /// <summary>Removes the files and memory of renditions whose rows the caller has already deleted.</summary>
    public void DropFiles(IEnumerable<StoredKey> rowsDeleted)
    {
        foreach (var r in rowsDeleted)
        {
            // On Linux, unlinking a file that a reader has open is safe: the inode lives until the reader
            // closes it, so a response already being read is served whole. Later reads see a miss.
            store.Delete(r.Key, r.Extension);
            hot.Remove(r.Key);
        }
    }
}
