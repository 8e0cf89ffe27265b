using Microsoft.Extensions.Logging;
using Tessera.Core.Jobs;

namespace Tessera.Core.Catalog;

/// <summary>Queues a <c>warm</c> job of the images of entities a sync changed (<c>/i/{catalog}/{singular}:{id}/{role}</c>),
/// or of the whole catalog. Best effort: a refusal is logged, never fails the sync.</summary>
public sealed class CatalogWarm(Lazy<IJobService> jobs, ILogger<CatalogWarm> logger)
{
    public static string ItemId(CatalogEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return $"{CatalogTypes.Singular(entity.Type)}:{entity.Id}";
    }

    /// <summary>Queues the warm (<paramref name="entities"/> null: the whole catalog).</summary>
    public async Task QueueAsync(string catalog, IReadOnlyList<CatalogEntity>? entities, CancellationToken cancellationToken)
    {
        var ids = entities?.Select(ItemId).ToList();
        var roles = entities?.SelectMany(e => e.Images).Where(i => i.Url is not null).Select(i => i.Role).Distinct(StringComparer.Ordinal).ToList();
        if (ids is { Count: 0 } || roles is { Count: 0 })
        {
            return;
        }

        try
        {
            await jobs.Value.CreateAsync(new JobRequest(WarmKind.KindName, Library: catalog, Ids: ids, Roles: roles, Trigger: JobTrigger.Change), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (JobRequestException e)
        {
            CatalogLog.ImagesFailed(logger, catalog, "warm", e.Message);
        }
    }
}
