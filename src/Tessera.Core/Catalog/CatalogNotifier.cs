using Tessera.Core.Index;

namespace Tessera.Core.Catalog;

/// <summary>A webhook's change of one entity (as a Stash plugin hook sends it): create and update fetch the entity
/// and upsert it (gone upstream: soft-deleted), destroy soft-deletes it; either way its cached images are forgotten.</summary>
public sealed class CatalogNotifier(CatalogSources sources, ICatalogIndex index, CatalogImages images, TimeProvider time)
{
    public static readonly IReadOnlyList<string> Actions = ["create", "update", "destroy"];

    /// <summary>What the change did: "upserted", "deleted" or "unchanged" (a destroy of an entity not live). Throws
    /// <see cref="UpstreamException"/> when the upstream cannot answer.</summary>
    public async Task<string> NotifyAsync(string catalog, string type, string id, string action, CancellationToken cancellationToken)
    {
        if (!sources.TryGet(catalog, out var source))
        {
            throw new ArgumentException($"unknown catalog '{catalog}'", nameof(catalog));
        }

        var now = time.GetUtcNow();
        var entity = action == "destroy" ? null : await source.Upstream.GetAsync(type, id, cancellationToken).ConfigureAwait(false);
        if (entity is not null)
        {
            var changed = await index.UpsertAsync(catalog, [entity], now, cancellationToken).ConfigureAwait(false);
            await images.PurgeAsync(catalog, changed, cancellationToken).ConfigureAwait(false);
            return "upserted";
        }

        var deleted = await index.SoftDeleteAsync(catalog, type, id, now, cancellationToken).ConfigureAwait(false);
        await images.PurgeAsync(catalog, type, id, cancellationToken).ConfigureAwait(false);
        return deleted ? "deleted" : "unchanged";
    }
}
