using Microsoft.Extensions.Logging;
using Tessera.Core.Items;
using Tessera.Core.Jobs;

namespace Tessera.Core.Catalog;

/// <summary>The default <see cref="ICatalogImages"/>: the existing item purge for each changed entity, and a
/// <c>warm</c> job of their ids with the roles they have. Both are best effort: a failure is logged, never fails a sync.</summary>
public sealed class CatalogImages(ItemPurger purger, Lazy<IJobService> jobs, ILogger<CatalogImages> logger) : ICatalogImages
{
    public async Task PurgeAsync(string catalog, IReadOnlyList<CatalogEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        foreach (var entity in entities)
        {
            try
            {
                await purger.PurgeAsync(catalog, ICatalogImages.ItemId(entity), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                CatalogLog.ImagesFailed(logger, catalog, "purge", e.Message);
                return;
            }
        }
    }

    public async Task WarmAsync(string catalog, IReadOnlyList<CatalogEntity>? entities, CancellationToken cancellationToken)
    {
        var ids = entities?.Select(ICatalogImages.ItemId).ToList();
        var roles = entities?.SelectMany(e => e.Images).Where(i => i.Url is not null).Select(i => i.Role).Distinct(StringComparer.Ordinal).ToList();
        if (ids is { Count: 0 } || roles is { Count: 0 })
        {
            return;
        }

        try
        {
            await jobs.Value.CreateAsync(new JobRequest("warm", Library: catalog, Ids: ids, Roles: roles, Trigger: JobTrigger.Change), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            CatalogLog.ImagesFailed(logger, catalog, "warm", e.Message);
        }
    }
}
