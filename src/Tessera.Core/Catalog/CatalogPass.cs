using Tessera.Core.Index;

namespace Tessera.Core.Catalog;

/// <summary>One listing of a type streamed into the index page by page (memory stays flat: a page at a time), with
/// what a sweep needs to judge it: entities seen, the upstream's total, whether every page was answered.</summary>
internal sealed class CatalogPass(string catalog, string type, CatalogSyncMode mode, IUpstream upstream, ICatalogIndex index, CatalogImages images,
    CatalogProgress progress, TimeProvider clock, int perPage, bool purge)
{
    /// <summary>Entities whose image changed are kept for the warm up to this many; past it, the whole catalog is warmed.</summary>
    public const int MaxWarmIds = 5_000;

    public long Seen { get; private set; }

    /// <summary>The upstream's total for the listing, as its last page said.</summary>
    public long Total { get; private set; }

    /// <summary>The upstream's total as its first page said.</summary>
    public long? FirstTotal { get; private set; }

    public DateTimeOffset? Newest { get; private set; }

    /// <summary>The upstream's total changed between pages: rows were added or deleted during the listing, which shifts
    /// the pages of a listing by number (one by key shifts nothing).</summary>
    public bool Moved => FirstTotal is { } first && first != Total;

    /// <summary>Why the listing stopped before its end (an upstream failure), or null when every page was answered.</summary>
    public string? Failure { get; private set; }

    public long ImagesChanged { get; private set; }

    /// <summary>Entities whose images changed, without their JSON (null when more than <see cref="MaxWarmIds"/>, or on a
    /// type's first sync, whose warm is the whole catalog anyway).</summary>
    public List<CatalogEntity>? Changed { get; private set; } = purge ? [] : null;

    /// <summary>Pages through the listing (<paramref name="since"/> null: every entity by id) until the upstream gives no next cursor.</summary>
    public async Task RunAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        string? after = null;
        for (var page = 1; ; page++)
        {
            UpstreamPage listed;
            try
            {
                listed = await upstream.PageAsync(type, after, perPage, since, cancellationToken).ConfigureAwait(false);
            }
            catch (UpstreamException e)
            {
                Failure = $"the upstream failed at page {page}: {e.Message}";
                return;
            }

            FirstTotal ??= listed.Total;
            Total = listed.Total;
            if (listed.Items.Count > 0)
            {
                await StoreAsync(listed.Items, cancellationToken).ConfigureAwait(false);
            }

            progress.Report(catalog, new CatalogTypeProgress(type, mode, Seen, Math.Max(Total, Seen), false));
            if (listed.Next is null)
            {
                return;
            }

            after = listed.Next;
        }
    }

    private async Task StoreAsync(IReadOnlyList<CatalogEntity> items, CancellationToken cancellationToken)
    {
        var changed = await index.UpsertAsync(catalog, items, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        Seen += items.Count;
        foreach (var item in items)
        {
            Newest = Newest is { } n && n >= item.UpdatedAtUtc ? n : item.UpdatedAtUtc;
        }

        if (changed.Count == 0)
        {
            return;
        }

        ImagesChanged += changed.Count;
        if (purge)
        {
            await images.PurgeAsync(catalog, changed, cancellationToken).ConfigureAwait(false);
        }

        if (Changed is not null && Changed.Count + changed.Count <= MaxWarmIds)
        {
            Changed.AddRange(changed.Select(e => e with { Json = string.Empty })); // the warm needs ids and image roles only
        }
        else
        {
            Changed = null;
        }
    }
}
