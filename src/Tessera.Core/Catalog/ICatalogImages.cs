namespace Tessera.Core.Catalog;

/// <summary>What a sync does to the cached images of entities it changed: forgets the old ones (an entity's image URL
/// changed, or it was deleted) and warms the new ones. Item ids are <c>{type-singular}:{id}</c> in the catalog's name
/// (<c>/i/{catalog}/scene:123/screenshot</c>); the HTTP side may replace this with its own.</summary>
public interface ICatalogImages
{
    Task PurgeAsync(string catalog, IReadOnlyList<CatalogEntity> entities, CancellationToken cancellationToken);

    /// <summary>Queues a warm of these entities' images (null: the whole catalog, e.g. after a first sync).</summary>
    Task WarmAsync(string catalog, IReadOnlyList<CatalogEntity>? entities, CancellationToken cancellationToken);

    static string ItemId(CatalogEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return $"{CatalogTypes.Singular(entity.Type)}:{entity.Id}";
    }
}
