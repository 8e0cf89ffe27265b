using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Items;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Core.Sources.Chain;

namespace Tessera.Core.Manifest;

/// <summary>The batch manifest: for up to <see cref="MaxItems"/> paths or ids, each item's rendition key, size and
/// preview when it is stored, else its would-be size from the source's header — never generated, read whole, hashed,
/// extracted or fetched here, and nothing written. The index is asked in a few batched queries (fingerprints, derived
/// originals, renditions), not once per item.</summary>
public sealed class ManifestResolver(IFingerprintIndex fingerprints, IDerivedIndex derived, IRenditionIndex renditions, NegativeCache negatives,
    SourcePlanner planner, ItemResolver items)
{
    public const int MaxItems = 1000;

    public Task<IReadOnlyList<ManifestEntry>> ForPathsAsync(FolderLibrary library, IReadOnlyList<string> paths, Preset preset, OutputFormat format,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(paths);
        var asked = new ThumbnailItem?[paths.Count];
        var entries = new ManifestEntry?[paths.Count];
        for (var i = 0; i < paths.Count; i++)
        {
            var resolved = library.Resolve(paths[i]);
            switch (resolved.Outcome)
            {
                case PathOutcome.Invalid:
                    entries[i] = new ManifestEntry(ManifestStatus.Invalid, Reason: resolved.Reason);
                    break;
                case PathOutcome.Missing:
                    entries[i] = new ManifestEntry(ManifestStatus.Missing, Reason: resolved.Reason);
                    break;
                default:
                    asked[i] = new FileItem(resolved.FullPath!, library);
                    break;
            }
        }

        return ResolveAsync(asked, entries, preset, format, cancellationToken);
    }

    public async Task<IReadOnlyList<ManifestEntry>> ForIdsAsync(string library, IReadOnlyList<string> ids, string role, Preset preset, OutputFormat format,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var asked = new ThumbnailItem?[ids.Count];
        var entries = new ManifestEntry?[ids.Count];
        var valid = new List<(int Index, string Id)>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (ItemIds.TryNormalize(ids[i], out var normalized, out var why))
            {
                valid.Add((i, normalized));
            }
            else
            {
                entries[i] = new ManifestEntry(ManifestStatus.Invalid, Reason: why);
            }
        }

        // Reads only (aliases, then registrations, each one batch): an unknown id leaves no row.
        var resolved = await items.ResolveManyAsync(library, [.. valid.Select(v => v.Id)], role, cancellationToken).ConfigureAwait(false);
        for (var n = 0; n < valid.Count; n++)
        {
            asked[valid[n].Index] = resolved[n];
        }

        return await ResolveAsync(asked, entries, preset, format, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<ManifestEntry>> ResolveAsync(ThumbnailItem?[] asked, ManifestEntry?[] entries, Preset preset, OutputFormat format,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preset);

        // 1. Known failures (in memory), and the steps each other item's chain would try.
        var plans = new IReadOnlyList<PeekStep>?[asked.Length];
        for (var i = 0; i < asked.Length; i++)
        {
            if (asked[i] is not { } item)
            {
                continue;
            }

            if (negatives.Active(item.Identity, SourcePlanner.Signature(item)) is { } failed)
            {
                entries[i] = Failure(failed.Reason);
                continue;
            }

            plans[i] = Plan(item);
        }

        // 2. What the index knows of every file and URL named: one batch per kind.
        var known = await KnownOriginalsAsync(plans, cancellationToken).ConfigureAwait(false);

        // 3. Each item's original: the first step that gives one. A step that cannot tell without work makes it pending.
        var keys = new string?[asked.Length];
        var probes = new string?[asked.Length];
        for (var i = 0; i < asked.Length; i++)
        {
            if (plans[i] is not { } steps)
            {
                continue;
            }

            if (steps.Count == 0)
            {
                entries[i] = new ManifestEntry(ManifestStatus.Missing, Reason: "no source configured for this item");
                continue;
            }

            var (hash, probe, nothing) = known.Walk(steps, negatives);
            if (hash is not null)
            {
                keys[i] = RenditionKey.Compute(hash, preset.CanonicalString(format)).Value;
            }
            else if (nothing)
            {
                entries[i] = Failure(FailureReason.NoCover);
            }

            probes[i] = probe;
        }

        // 4. The stored renditions, in one batch.
        var stored = await renditions.GetRenditionsAsync([.. keys.OfType<string>()], cancellationToken).ConfigureAwait(false);
        var pending = new List<int>();
        for (var i = 0; i < asked.Length; i++)
        {
            if (entries[i] is not null)
            {
                continue;
            }

            if (keys[i] is { } key && stored.TryGetValue(key, out var rendition))
            {
                entries[i] = new ManifestEntry(ManifestStatus.Ready, key, rendition.Width > 0 ? rendition.Width : null,
                    rendition.Height > 0 ? rendition.Height : null, rendition.Preview);
                continue;
            }

            pending.Add(i);
        }

        // 5. The rest from their headers: each probe opens a file (about 0.5 ms), so they run on every core.
        Parallel.ForEach(pending, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, i =>
        {
            var box = probes[i] is { } path ? HeaderBox.Of(path, preset) : null;
            entries[i] = new ManifestEntry(ManifestStatus.Pending, Width: box?.Width, Height: box?.Height);
        });

        return entries!;
    }

    private IReadOnlyList<PeekStep> Plan(ThumbnailItem item) => item switch
    {
        FileItem f => SourcePeek.ForPath(f.FullPath, f.Library, planner.Sidecars),
        RegisteredItem r => [.. (r.FullPath is null ? [] : SourcePeek.ForPath(r.FullPath, r.Folder, planner.Sidecars)), .. r.Urls.Select(u => new PeekStep.Remote(u))],
        _ => [],
    };

    private async Task<KnownOriginals> KnownOriginalsAsync(IReadOnlyList<PeekStep>?[] plans, CancellationToken cancellationToken)
    {
        var steps = plans.Where(p => p is not null).SelectMany(p => p!).ToList();
        var files = steps.Select(s => s switch { PeekStep.File f => f.Path, PeekStep.Derived d => d.Path, _ => null }).OfType<string>()
            .Distinct(StringComparer.Ordinal).ToList();
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (files.Count > 0)
        {
            var stored = await fingerprints.GetFingerprintsAsync(files, cancellationToken).ConfigureAwait(false);
            foreach (var (path, fingerprint) in stored)
            {
                if (FileStamp.Of(path) is { } stamp && fingerprint.Matches(stamp))
                {
                    hashes[path] = fingerprint.ContentHash; // a changed file is hashed again on its request: pending until then
                }
            }
        }

        async Task<IReadOnlyDictionary<string, DerivedOriginal>> DerivedAsync(string step, IEnumerable<string> sources)
        {
            var list = sources.Distinct(StringComparer.Ordinal).ToList();
            return list.Count == 0 ? new Dictionary<string, DerivedOriginal>() : await derived.GetDerivedManyAsync(list, step, cancellationToken).ConfigureAwait(false);
        }

        var media = steps.OfType<PeekStep.Derived>().ToList();
        var embedded = await DerivedAsync(Steps.Embedded, media.Where(d => d.Step == Steps.Embedded && hashes.ContainsKey(d.Path)).Select(d => hashes[d.Path])).ConfigureAwait(false);
        var frames = await DerivedAsync(Steps.Frame, media.Where(d => d.Step == Steps.Frame && hashes.ContainsKey(d.Path)).Select(d => hashes[d.Path])).ConfigureAwait(false);
        var remote = await DerivedAsync(Steps.Remote, steps.OfType<PeekStep.Remote>().Select(r => r.Url.AbsoluteUri)).ConfigureAwait(false);
        return new KnownOriginals(hashes, embedded, frames, remote);
    }

    private static ManifestEntry Failure(FailureReason reason) =>
        reason == FailureReason.NotFound
            ? new ManifestEntry(ManifestStatus.Missing, Reason: FailureReasons.ToText(reason))
            : new ManifestEntry(ManifestStatus.Failed, Reason: FailureReasons.ToText(reason));
}
