using Microsoft.Extensions.Logging;
using Tessera.Core.Index;

namespace Tessera.Core.Catalog;

/// <summary>A webhook's change of one entity (as a Stash plugin hook sends it): a create or update is fetched from the
/// upstream and upserted; a destroy, or an entity the upstream no longer has, is soft-deleted. Images follow.</summary>
public sealed class CatalogNotifier(CatalogRegistry catalogs, ICatalogIndex index, ICatalogImages images, TimeProvider clock, ILogger<CatalogNotifier> logger)
{
    public static IReadOnlyList<string> Actions { get; } = ["create", "update", "destroy"];

    /// <summary>Applies the change; <see cref="ArgumentException"/> for an unknown catalog, type or action (a 400),
    /// <see cref="UpstreamException"/> when the upstream cannot be asked. Returns what happened: upserted, deleted or unchanged.</summary>
    public async Task<string> NotifyAsync(string catalog, string type, string id, string action, CancellationToken cancellationToken)
    {
        var upstream = catalogs.Upstream(catalog);
        if (!CatalogTypes.IsKnown(type))
        {
            throw new ArgumentException($"unknown type '{type}'; known: {string.Join(", ", CatalogTypes.All)}", nameof(type));
        }

        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            throw new ArgumentException("an entity id must be 1 to 64 characters", nameof(id));
        }

        var act = action?.ToLowerInvariant();
        if (act is null || !Actions.Contains(act, StringComparer.Ordinal))
        {
            throw new ArgumentException($"unknown action '{action}'; known: {string.Join(", ", Actions)}", nameof(action));
        }

        var entity = act == "destroy" ? null : await upstream.GetAsync(type, id, cancellationToken).ConfigureAwait(false);
        string outcome;
        if (entity is null)
        {
            var deleted = await index.SoftDeleteAsync(catalog, type, id, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (deleted)
            {
                await images.PurgeAsync(catalog, [CatalogSync.Deleted(type, id)], cancellationToken).ConfigureAwait(false);
            }

            outcome = deleted ? "deleted" : "unchanged";
        }
        else
        {
            var changed = await index.UpsertAsync(catalog, [entity], clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (changed.Count > 0)
            {
                await images.PurgeAsync(catalog, changed, cancellationToken).ConfigureAwait(false);
                await images.WarmAsync(catalog, changed, cancellationToken).ConfigureAwait(false);
            }

            outcome = "upserted";
        }

        CatalogLog.Notified(logger, catalog, type, id, act);
        return outcome;
    }
}
