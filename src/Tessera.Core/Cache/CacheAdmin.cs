using Tessera.Core.Index;
using Tessera.Core.Sources;
using Tessera.Core.Storage;

namespace Tessera.Core.Cache;

/// <summary>Operator actions on the cache: clear by preset or library, purge one item. Rows go first, then
/// files, so the index never lists a file that is gone.</summary>
public sealed class CacheAdmin(IFingerprintIndex fingerprints, IRenditionIndex renditions, IEvictionIndex eviction, IRenditionStore store, HotCache hot, NegativeCache negatives, Sources.Chain.DerivedOriginals derived,
    IReadOnlyDictionary<string, FolderLibrary> libraries)
{
    private readonly RenditionRemover _remover = new(eviction, store, hot);

    /// <summary>Clears renditions of one preset, one library, both, or (neither) everything.</summary>
    public async Task<ClearResult> ClearAsync(string? preset, string? library, CancellationToken cancellationToken)
    {
        IReadOnlyCollection<string>? hashes = null;
        if (library is not null)
        {
            if (!libraries.TryGetValue(library, out var lib))
            {
                throw new ArgumentException($"unknown library '{library}'", nameof(library));
            }

            hashes = await fingerprints.ContentHashesUnderAsync(lib.Root, cancellationToken).ConfigureAwait(false);
            if (hashes.Count == 0)
            {
                return new ClearResult(0, 0);
            }
        }

        return Remove(await renditions.RemoveRenditionsAsync(preset, hashes, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Purges every rendition of one file (and of the covers or frames taken from it), its fingerprint and any negative entry; the next request starts afresh.</summary>
    public async Task<ClearResult?> PurgeItemAsync(string library, string path, CancellationToken cancellationToken)
    {
        if (!libraries.TryGetValue(library, out var lib))
        {
            return null;
        }

        var resolved = lib.Resolve(path);
        if (resolved.Outcome != PathOutcome.Found)
        {
            return null;
        }

        var fp = await fingerprints.GetFingerprintAsync(resolved.FullPath!, cancellationToken).ConfigureAwait(false);
        await fingerprints.ForgetFingerprintAsync(resolved.FullPath!, cancellationToken).ConfigureAwait(false);
        await negatives.ForgetAsync(resolved.FullPath!, cancellationToken).ConfigureAwait(false);
        if (fp is null)
        {
            return new ClearResult(0, 0);
        }

        // An audio or video file's renditions are made from what ffmpeg took out of it: those go too.
        var extracted = await derived.ForgetAsync([fp.ContentHash], cancellationToken).ConfigureAwait(false);
        return Remove(await renditions.RemoveRenditionsAsync(null, [fp.ContentHash, .. extracted], cancellationToken).ConfigureAwait(false));
    }

    private ClearResult Remove(IReadOnlyList<StoredKey> removed)
    {
        _remover.DropFiles(removed);
        return new ClearResult(removed.Count, removed.Sum(r => r.Bytes));
    }
}

/// <summary>What a clear or purge removed.</summary>
public sealed record ClearResult(int Renditions, long Bytes);
