using Tessera.Core.Eviction;
using Tessera.Core.Index;
using Tessera.Core.Storage;

namespace Tessera.Core.Cache;

/// <summary>Collects what nothing will ask for again: renditions of deleted sources, rows without files, files
/// without rows, expired or over-size renditions, leftover temp files. Safe beside a running server.</summary>
public sealed class Cleaner(ICleanupIndex index, IRenditionIndex renditions, IEvictionIndex eviction, IRenditionStore store, HotCache hot, AccessTracker access, DataFolder folder, TimeProvider clock,
    TesseraOptions options)
{
    private const int Page = 512;

    /// <summary>Below this many known sources the mass-deletion guard does not apply.</summary>
    private const int MassDeletionMinimum = 20;
    private readonly RenditionRemover _remover = new(eviction, store, hot);

    public async Task<CleanupResult> RunAsync(CleanupOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // Recent hits must reach the index first, or last_access would be stale.
        await access.FlushAsync(eviction, cancellationToken).ConfigureAwait(false);
        var pass = new Pass(_remover, options.DryRun) { Force = options.Force };
        var now = clock.GetUtcNow();

        var (fingerprints, sources) = await DeletedSourcesAsync(pass, cancellationToken).ConfigureAwait(false);
        var rows = await RowsWithoutFilesAsync(pass, cancellationToken).ConfigureAwait(false);
        var files = await FilesWithoutRowsAsync(now - options.GracePeriod, options.DryRun, cancellationToken).ConfigureAwait(false);
        var old = options.OlderThan is { } age
            ? await OlderThanAsync((now - age).ToUnixTimeSeconds(), pass, cancellationToken).ConfigureAwait(false)
            : CleanupCount.None;
        var over = options.MaxBytes is { } max ? await OverSizeAsync(max, pass, cancellationToken).ConfigureAwait(false) : CleanupCount.None;
        var temp = TempFiles(now - options.GracePeriod, options.DryRun);
        return new CleanupResult(fingerprints, sources, rows, files, old, over, temp)
        {
            SkippedMissingSources = pass.SkippedMissingSources,
            SkippedLibraries = pass.SkippedLibraries.Count == 0 ? [] : [.. pass.SkippedLibraries],
        };
    }

    private async Task<(int, CleanupCount)> DeletedSourcesAsync(Pass pass, CancellationToken cancellationToken)
    {
        // Only the missing paths are kept; the fingerprints are read a page at a time.
        var missing = new List<string>();
        var after = string.Empty;
        var known = 0;
        while (await index.FingerprintPathsAsync(after, Page, cancellationToken).ConfigureAwait(false) is { Count: > 0 } page)
        {
            known += page.Count;
            missing.AddRange(page.Where(p => !File.Exists(p)));
            after = page[^1];
        }

        // A library whose folder is missing or unreadable (unmounted) is skipped outright, even with --force: its
        // sources are not known to be deleted.
        foreach (var (name, root) in options.Libraries)
        {
            if (Health.LibraryFolders.Problem(name, root) is { } problem)
            {
                var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
                var skipped = missing.RemoveAll(p => p.StartsWith(prefix, StringComparison.Ordinal));
                known -= skipped;
                pass.SkippedLibraries.Add($"{problem}; {skipped} of its sources left alone");
            }
        }

        // Most sources gone at once looks like an unmounted or renamed library folder, not deletions: keep
        // their thumbnails unless the operator says they really are gone.
        if (!pass.Force && known >= MassDeletionMinimum && missing.Count * 2 > known)
        {
            pass.SkippedMissingSources = missing.Count;
            return (0, CleanupCount.None);
        }

        var (fingerprints, renditions) = await index.RemoveDeletedSourcesAsync(missing, commit: !pass.DryRun, cancellationToken).ConfigureAwait(false);
        return (fingerprints, pass.RowsDeleted(renditions));
    }

    private async Task<CleanupCount> RowsWithoutFilesAsync(Pass pass, CancellationToken cancellationToken)
    {
        var count = CleanupCount.None;
        var after = string.Empty;
        while (await index.RenditionPageAsync(after, null, Page, cancellationToken).ConfigureAwait(false) is { Count: > 0 } page)
        {
            count = count.Add(await pass.RemoveAsync(page.Where(r => !store.Exists(r.Key, r.Extension)).ToList(), cancellationToken).ConfigureAwait(false));
            after = page[^1].Key;
        }

        return count;
    }

    private async Task<CleanupCount> FilesWithoutRowsAsync(DateTimeOffset writtenBefore, bool dryRun, CancellationToken cancellationToken)
    {
        var count = CleanupCount.None;
        foreach (var chunk in store.Enumerate().Where(f => f.WrittenAt < writtenBefore).Chunk(Page))
        {
            var known = await renditions.ExistingKeysAsync(chunk.Select(f => f.Key), cancellationToken).ConfigureAwait(false);
            foreach (var file in chunk.Where(f => !known.Contains(f.Key)))
            {
                if (!dryRun)
                {
                    store.Delete(file.Key, file.Extension);
                    hot.Remove(file.Key);
                }

                count = count.Plus(1, file.Length);
            }
        }

        return count;
    }

    private async Task<CleanupCount> OlderThanAsync(long accessedBefore, Pass pass, CancellationToken cancellationToken)
    {
        var count = CleanupCount.None;
        var after = string.Empty;
        while (await index.RenditionPageAsync(after, accessedBefore, Page, cancellationToken).ConfigureAwait(false) is { Count: > 0 } page)
        {
            count = count.Add(await pass.RemoveAsync([.. page], cancellationToken).ConfigureAwait(false));
            after = page[^1].Key;
        }

        return count;
    }

    /// <summary>The eviction walk (<see cref="LruWalk"/>), down to a size instead of the budget's target; a pageable
    /// cursor lets a dry run walk past the rows it only pretended to delete.</summary>
    private async Task<CleanupCount> OverSizeAsync(long maxBytes, Pass pass, CancellationToken cancellationToken)
    {
        var need = await eviction.TotalBytesAsync(cancellationToken).ConfigureAwait(false) - pass.PlannedBytes - maxBytes;
        var walk = new LruWalk(eviction, Page) { PageAfter = eviction.OldestAfterAsync, Skip = pass.IsPlanned };
        var removed = await walk.RunAsync(need, pass.RemoveAsync, cancellationToken).ConfigureAwait(false);
        return CleanupCount.None.Plus(removed.Count, removed.Bytes);
    }

    private CleanupCount TempFiles(DateTimeOffset writtenBefore, bool dryRun)
    {
        var count = CleanupCount.None;
        if (!Directory.Exists(folder.TempPath))
        {
            return count;
        }

        foreach (var path in Directory.EnumerateFiles(folder.TempPath))
        {
            try
            {
                var info = new FileInfo(path);
                if (info.LastWriteTimeUtc >= writtenBefore)
                {
                    continue;
                }

                var length = info.Length;
                if (!dryRun)
                {
                    info.Delete();
                }

                count = count.Plus(1, length);
            }
            catch (FileNotFoundException)
            {
                // Renamed into place or swept by its writer meanwhile.
            }
        }

        return count;
    }

    /// <summary>One run's removals. A dry run deletes nothing, so it remembers what it would have deleted, and later
    /// categories neither count those rows again nor count their bytes as still there.</summary>
    private sealed class Pass(RenditionRemover remover, bool dryRun)
    {
        public bool Force { get; init; }

        public int SkippedMissingSources { get; set; }

        public List<string> SkippedLibraries { get; } = [];

        private readonly HashSet<string> _planned = new(StringComparer.Ordinal);

        public bool DryRun => dryRun;

        public long PlannedBytes { get; private set; }

        public bool IsPlanned(string key) => _planned.Contains(key);

        public async Task<IReadOnlyList<StoredKey>> RemoveAsync(List<StoredKey> candidates, CancellationToken cancellationToken)
        {
            if (dryRun)
            {
                candidates.RemoveAll(c => !_planned.Add(c.Key));
                PlannedBytes += candidates.Sum(c => c.Bytes);
                return candidates;
            }

            return candidates.Count == 0 ? [] : await remover.RemoveAsync(candidates, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Rows the index already deleted (or, in a dry run, rolled back): their files and memory go now.</summary>
        public CleanupCount RowsDeleted(IReadOnlyList<StoredKey> rows)
        {
            if (dryRun)
            {
                foreach (var r in rows)
                {
                    _planned.Add(r.Key);
                    PlannedBytes += r.Bytes;
                }
            }
            else
            {
                remover.DropFiles(rows);
            }

            return CleanupCount.None.Add(rows);
        }
    }
}
