using Microsoft.Extensions.Logging;
using Tessera.Core.Index;

namespace Tessera.Core.Catalog;

/// <summary>Syncs one type of one catalog from its upstream into the catalog index, page by page, one watermark per
/// type. Full: every entity by id, then the orphan sweep (<see cref="CatalogSweep"/>). Incremental: the entities
/// changed since the watermark minus <see cref="Overlap"/>, upserted idempotently; it never deletes. Smart: counts
/// first, skips a type with no change, runs a full sync (with its sweep) when the upstream's total no longer matches
/// the live rows — how deletions are found without a full listing every poll.</summary>
public sealed class CatalogSync(CatalogSources sources, IReadOnlyDictionary<string, CatalogOptions> settings, ICatalogIndex index, CatalogImages images,
    CatalogWarm warm, CatalogProgress progress, TimeProvider clock, ILogger<CatalogSync> logger)
{
    /// <summary>Incremental syncs ask again for the last minute before the watermark. Stash compares second-precision
    /// text, so anything changed later in the watermark's own second is only found by asking for that second again
    /// (≥ 1 s); and a scan writes in transactions that commit after the updated_at they stamp, so a row can appear
    /// with a time just before one already seen. A minute covers both; re-reading it is cheap and idempotent.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(1);

    /// <summary>Upstream timestamps are whole seconds (Stash's are): "changed after the watermark" is since + 1 s.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromSeconds(1);

    /// <summary>Listings by page number that moved under the pass (totals differ, pages shifted) are read again, up to this many times.</summary>
    private const int MaxPasses = 3;

    public async Task<CatalogSyncResult> SyncAsync(string catalog, string type, CatalogSyncMode mode, CancellationToken cancellationToken)
    {
        if (!sources.TryGet(catalog, out var source))
        {
            throw new ArgumentException($"unknown catalog '{catalog}'", nameof(catalog));
        }

        var upstream = source.Upstream;
        var watermark = await index.GetWatermarkAsync(catalog, type, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = watermark?.UpdatedSince is null ? await FullAsync(catalog, type, upstream, watermark, cancellationToken).ConfigureAwait(false) : mode switch
            {
                CatalogSyncMode.Full => await FullAsync(catalog, type, upstream, watermark, cancellationToken).ConfigureAwait(false),
                CatalogSyncMode.Incremental => await IncrementalAsync(catalog, type, upstream, watermark, cancellationToken).ConfigureAwait(false),
                _ => await SmartAsync(catalog, type, upstream, watermark, cancellationToken).ConfigureAwait(false),
            };
            CatalogLog.Synced(logger, catalog, type, result.Mode, result.Text);
            return result;
        }
        catch (UpstreamException e)
        {
            var latest = await index.GetWatermarkAsync(catalog, type, cancellationToken).ConfigureAwait(false) ?? watermark;
            await index.PutWatermarkAsync(new CatalogWatermark(catalog, type, latest?.UpdatedSince, latest?.LastFullSync, clock.GetUtcNow(),
                $"failed: {e.Message}"), cancellationToken).ConfigureAwait(false);
            CatalogLog.SyncFailed(logger, catalog, type, e.Message);
            throw;
        }
        finally
        {
            if (progress.Of(catalog).FirstOrDefault(p => p.Type == type) is { } last)
            {
                progress.Report(catalog, last with { Done = true });
            }
        }
    }

    private async Task<CatalogSyncResult> SmartAsync(string catalog, string type, IUpstream upstream, CatalogWatermark watermark, CancellationToken cancellationToken)
    {
        var changed = await upstream.CountAsync(type, watermark.UpdatedSince + Resolution, cancellationToken).ConfigureAwait(false);
        var total = await upstream.CountAsync(type, null, cancellationToken).ConfigureAwait(false);
        var live = await index.CountLiveAsync(catalog, type, cancellationToken).ConfigureAwait(false);
        if (changed == 0 && total == live)
        {
            progress.Report(catalog, new CatalogTypeProgress(type, CatalogSyncMode.Smart, live, live, true));
            var text = $"no changes ({live} live)";
            await index.PutWatermarkAsync(watermark with { LastSync = clock.GetUtcNow(), LastResult = $"skipped: {text}" }, cancellationToken).ConfigureAwait(false);
            return new CatalogSyncResult(type, CatalogSyncMode.Smart, true, 0, 0, 0, text);
        }

        if (changed > 0)
        {
            var incremental = await IncrementalAsync(catalog, type, upstream, watermark, cancellationToken).ConfigureAwait(false);
            live = await index.CountLiveAsync(catalog, type, cancellationToken).ConfigureAwait(false);
            total = await upstream.CountAsync(type, null, cancellationToken).ConfigureAwait(false);
            if (total == live)
            {
                return incremental;
            }

            watermark = await index.GetWatermarkAsync(catalog, type, cancellationToken).ConfigureAwait(false) ?? watermark;
        }

        // The upstream's total differs from the live rows: something was deleted (or missed) — a full listing and its sweep.
        return await FullAsync(catalog, type, upstream, watermark, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CatalogSyncResult> FullAsync(string catalog, string type, IUpstream upstream, CatalogWatermark? watermark, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var countAtStart = await upstream.CountAsync(type, null, cancellationToken).ConfigureAwait(false);
        var byKey = upstream.PagesByKey(type);
        CatalogPass pass;
        for (var passes = 1; ; passes++)
        {
            pass = Pass(catalog, type, CatalogSyncMode.Full, upstream, purge: watermark?.UpdatedSince is not null);
            await pass.RunAsync(null, cancellationToken).ConfigureAwait(false);
            if (pass.Failure is not null || byKey || passes >= MaxPasses)
            {
                break;
            }

            // Paged by number, a deletion during the listing shifts a live row past it, and an addition at the end can
            // hide that from the counts. So a listing whose total moved is read again, and a sweep about to delete waits
            // for a second listing: only rows missed by every listing since `started` are deleted.
            var unseen = await index.CountLiveAsync(catalog, type, cancellationToken).ConfigureAwait(false) > pass.Seen;
            if (!pass.Moved && !(unseen && passes == 1))
            {
                break;
            }

            countAtStart = await upstream.CountAsync(type, null, cancellationToken).ConfigureAwait(false);
        }

        long? countAtEnd = null;
        var failure = pass.Failure;
        if (failure is null)
        {
            try
            {
                countAtEnd = await upstream.CountAsync(type, null, cancellationToken).ConfigureAwait(false);
            }
            catch (UpstreamException e)
            {
                failure = $"the upstream failed counting after the listing: {e.Message}";
            }
        }

        return await FinishFullAsync(catalog, type, watermark, started, pass, countAtStart, countAtEnd, failure, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CatalogSyncResult> FinishFullAsync(string catalog, string type, CatalogWatermark? watermark, DateTimeOffset started, CatalogPass pass,
        long countAtStart, long? countAtEnd, string? failure, CancellationToken cancellationToken)
    {
        var live = await index.CountLiveAsync(catalog, type, cancellationToken).ConfigureAwait(false);
        var skip = CatalogSweep.WhyNot(failure, pass.Seen, pass.Total, countAtStart, countAtEnd, live);
        IReadOnlyList<string> deleted = [];
        if (skip is null)
        {
            deleted = await index.SoftDeleteUnseenAsync(catalog, type, started, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (deleted.Count > 0)
            {
                await images.PurgeAsync(catalog, [.. deleted.Select(id => Deleted(type, id))], cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            CatalogLog.SweepSkipped(logger, catalog, type, skip);
        }

        var complete = failure is null;
        var text = $"{pass.Seen} stored, {deleted.Count} deleted, {pass.ImagesChanged} images changed"
            + (skip is null ? string.Empty : $"; sweep skipped: {skip}");
        await index.PutWatermarkAsync(new CatalogWatermark(catalog, type,
            complete ? Max(watermark?.UpdatedSince, pass.Newest) : watermark?.UpdatedSince,
            complete ? started : watermark?.LastFullSync, clock.GetUtcNow(), text), cancellationToken).ConfigureAwait(false);
        await WarmAsync(catalog, watermark, pass, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            throw new UpstreamException(text, transient: true);
        }

        return new CatalogSyncResult(type, CatalogSyncMode.Full, false, pass.Seen, deleted.Count, pass.ImagesChanged, text);
    }

    private async Task<CatalogSyncResult> IncrementalAsync(string catalog, string type, IUpstream upstream, CatalogWatermark watermark, CancellationToken cancellationToken)
    {
        var since = watermark.UpdatedSince!.Value - Overlap;
        CatalogPass pass;
        var passes = 0;
        do
        {
            pass = Pass(catalog, type, CatalogSyncMode.Incremental, upstream, purge: true);
            await pass.RunAsync(since, cancellationToken).ConfigureAwait(false);
            if (pass.Failure is not null)
            {
                throw new UpstreamException(pass.Failure, transient: true);
            }
        }
        while (++passes < MaxPasses && (pass.FirstTotal != pass.Total || pass.Seen < pass.Total));

        var text = $"{pass.Seen} changed since {since:O}, {pass.ImagesChanged} images changed";
        await index.PutWatermarkAsync(watermark with { UpdatedSince = Max(watermark.UpdatedSince, pass.Newest), LastSync = clock.GetUtcNow(), LastResult = text },
            cancellationToken).ConfigureAwait(false);
        await WarmAsync(catalog, watermark, pass, cancellationToken).ConfigureAwait(false);
        return new CatalogSyncResult(type, CatalogSyncMode.Incremental, false, pass.Seen, 0, pass.ImagesChanged, text);
    }

    private CatalogPass Pass(string catalog, string type, CatalogSyncMode mode, IUpstream upstream, bool purge) =>
        new(catalog, type, mode, upstream, index, images, progress, clock, settings.TryGetValue(catalog, out var s) ? s.PerPage : CatalogOptions.DefaultPerPage, purge);

    /// <summary>Warms what changed; after a type's first sync (nothing was cached) or a change too large to list, the whole catalog.</summary>
    private Task WarmAsync(string catalog, CatalogWatermark? before, CatalogPass pass, CancellationToken cancellationToken) =>
        pass.ImagesChanged == 0 ? Task.CompletedTask
            : warm.QueueAsync(catalog, before?.UpdatedSince is null || pass.Changed is null ? null : pass.Changed, cancellationToken);

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    internal static CatalogEntity Deleted(string type, string id) =>
        new(type, id, string.Empty, null, null, null, null, null, null, string.Empty, DateTimeOffset.MinValue, null, [], [], "{}");
}
