using Tessera.Core.Index;
using Tessera.Core.Sources;
using Tessera.Core.Storage;

namespace Tessera.Core.Cache;

/// <summary>Operator actions on the cache: clear by preset or library, purge one item. Rows go first, then
/// files, so the index never lists a file that is gone.</summary>
public sealed class CacheAdmin(IFingerprintIndex fingerprints, IRenditionIndex renditions, IEvictionIndex eviction, IRenditionStore store, HotCache hot, NegativeCache negatives, Sources.Chain.DerivedOriginals derived,
    IReadOnlyDictionary<string, FolderLibrary> libraries, Fingerprinter fingerprinter, TesseraOptions options, IInvalidationBus? bus = null)
{
    /// <summary>Past this many keys, other replicas are told to drop everything rather than each key.</summary>
    private const int MostKeysListed = 20_000;

    private readonly RenditionRemover _remover = new(eviction, store, hot);

    /// <summary>Clears renditions of one preset, one library, both, or (neither) everything.</summary>
    public async Task<ClearResult> ClearAsync(string? preset, string? library, CancellationToken cancellationToken)
    {
        IReadOnlyCollection<string>? hashes = null;
        if (library is not null)
        {
            if (!libraries.TryGetValue(library, out var lib))
            {
                // A library of registered items only has no folder, so no fingerprints: its renditions come from providers.
                return options.Providers.ContainsKey(library)
                    ? await ClearProvidersAsync(preset, library, cancellationToken).ConfigureAwait(false)
                    : throw new ArgumentException($"unknown library '{library}'", nameof(library));
            }

            hashes = await fingerprints.ContentHashesUnderAsync(lib.Root, cancellationToken).ConfigureAwait(false);
            if (hashes.Count == 0)
            {
                return new ClearResult(0, 0);
            }
        }

        return await RemoveAsync(await renditions.RemoveRenditionsAsync(preset, hashes, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Purges every rendition of one file (and of the covers or frames taken from it), its fingerprint and any
    /// negative entry, in the index and in memory; the next request starts afresh. A file that is already gone is purged
    /// by its path (nothing is read). Null for an unknown library or a path that is not a valid library path.</summary>
    public async Task<ClearResult?> PurgeItemAsync(string library, string path, CancellationToken cancellationToken)
    {
        if (!libraries.TryGetValue(library, out var lib))
        {
            return null;
        }

        var resolved = lib.Resolve(path);
        var fullPath = resolved.Outcome switch
        {
            PathOutcome.Found => resolved.FullPath!,
            PathOutcome.Missing => Path.Combine(lib.Root, path),
            _ => null,
        };
        return fullPath is null ? null : await PurgeFileAsync(fullPath, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Purges one file by its full path: fingerprint (index and memory), negative entry, derived originals, renditions.</summary>
    public async Task<ClearResult> PurgeFileAsync(string fullPath, CancellationToken cancellationToken)
    {
        var fp = await fingerprints.GetFingerprintAsync(fullPath, cancellationToken).ConfigureAwait(false);
        await fingerprints.ForgetFingerprintAsync(fullPath, cancellationToken).ConfigureAwait(false);
        fingerprinter.Forget(fullPath);
        await PublishAsync(new InvalidationEvent(InvalidationKind.Files, [fullPath]), cancellationToken).ConfigureAwait(false);
        await negatives.ForgetAsync(fullPath, cancellationToken).ConfigureAwait(false);
        return fp is null ? new ClearResult(0, 0) : await PurgeContentAsync([fp.ContentHash], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the renditions made from these contents and from what was derived from them (an audio file's cover).</summary>
    public async Task<ClearResult> PurgeContentAsync(IReadOnlyCollection<string> hashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (hashes.Count == 0)
        {
            return new ClearResult(0, 0);
        }

        var extracted = await derived.ForgetAsync(hashes, cancellationToken).ConfigureAwait(false);
        await PublishAsync(new InvalidationEvent(InvalidationKind.Derived, [.. hashes]), cancellationToken).ConfigureAwait(false);
        return await RemoveAsync(await renditions.RemoveRenditionsAsync(null, [.. hashes, .. extracted], cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>An items-only library's renditions: those made from its items' downloads, found through their negative or
    /// derived entries is not possible without a folder, so its providers' hosts decide: every original downloaded from a
    /// URL that one of the library's templates could have made.</summary>
    private async Task<ClearResult> ClearProvidersAsync(string? preset, string library, CancellationToken cancellationToken)
    {
        var prefixes = options.Providers[library].Select(t => t.Split('{', 2)[0]).ToList();
        var hashes = await derived.OriginalsFromAsync(prefixes, cancellationToken).ConfigureAwait(false);
        return hashes.Count == 0
            ? new ClearResult(0, 0)
            : await RemoveAsync(await renditions.RemoveRenditionsAsync(preset, hashes, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the files and memory of renditions whose rows are deleted, here and (through the bus) on every replica.</summary>
    private async Task<ClearResult> RemoveAsync(IReadOnlyList<StoredKey> removed, CancellationToken cancellationToken)
    {
        _remover.DropFiles(removed);
        if (removed.Count > 0)
        {
            await PublishAsync(removed.Count > MostKeysListed
                ? InvalidationEvent.Everything
                : new InvalidationEvent(InvalidationKind.Renditions, [.. removed.Select(r => $"{r.Key}.{r.Extension}")]), cancellationToken).ConfigureAwait(false);
        }

        return new ClearResult(removed.Count, removed.Sum(r => r.Bytes));
    }

    private Task PublishAsync(InvalidationEvent invalidation, CancellationToken cancellationToken) =>
        bus?.PublishAsync(invalidation, cancellationToken) ?? Task.CompletedTask;
}

/// <summary>What a clear or purge removed.</summary>
public sealed record ClearResult(int Renditions, long Bytes);
