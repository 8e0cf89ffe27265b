namespace Tessera.Core.Catalog;

/// <summary>The entity types a catalog holds, by their API names (plural, lower case, as in
/// <c>/api/catalog/{name}/{type}</c>). Every upstream maps its own types onto these; one it lacks stays empty.</summary>
public static class CatalogTypes
{
    public const string Scenes = "scenes";
    public const string Performers = "performers";
    public const string Studios = "studios";
    public const string Tags = "tags";
    public const string Groups = "groups";
    public const string Galleries = "galleries";

    /// <summary>In sync order: what others point at first, so a sync's relations mostly resolve as they arrive.</summary>
    public static IReadOnlyList<string> All { get; } = [Tags, Studios, Performers, Groups, Galleries, Scenes];

    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);

    /// <summary>The singular used in item ids (<c>/i/{catalog}/scene:123/screenshot</c>).</summary>
    public static string Singular(string type) => type switch
    {
        Scenes => "scene",
        Performers => "performer",
        Studios => "studio",
        Tags => "tag",
        Groups => "group",
        Galleries => "gallery",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown catalog type"),
    };
}

/// <summary>One upstream entity as Tessera keeps it. The columns are what browsing filters, sorts and searches on; the
/// upstream's whole JSON is kept in <see cref="Json"/> for detail views. Ids are the upstream's, as text.
/// <see cref="UpdatedAt"/> is the upstream's own text (Stash: second precision with a local offset), compared only by the
/// upstream; <see cref="UpdatedAtUtc"/> is the same instant for ordering and watermarks.</summary>
public sealed record CatalogEntity(
    string Type,
    string Id,
    string Title,
    string? Details,
    string? Date,
    int? Rating,
    double? DurationSeconds,
    long? SizeBytes,
    long? Count,
    string UpdatedAt,
    DateTimeOffset UpdatedAtUtc,
    DateTimeOffset? CreatedAtUtc,
    IReadOnlyList<CatalogRelation> Relations,
    IReadOnlyList<CatalogImage> Images,
    string Json);

/// <summary>An edge to another entity: a scene's tag, studio, performer, group or gallery; a tag's parent; a studio's parent.</summary>
public sealed record CatalogRelation(string Type, string Id);

/// <summary>An entity's image by role (<c>screenshot</c>, <c>image</c>, <c>front</c>, <c>back</c>, <c>cover</c>): the
/// upstream URL it is fetched from (with the upstream's key, which never leaves the server), or null when the upstream
/// has only its generic default (Stash's <c>default=true</c>): "no cover", never cached as the entity's image.</summary>
public sealed record CatalogImage(string Role, string? Url);

/// <summary>Where a sync of one type stands: the newest <see cref="CatalogEntity.UpdatedAtUtc"/> stored (incremental syncs
/// ask for changes since it minus an overlap), the last full sync, and the last sync's result.</summary>
public sealed record CatalogWatermark(string Catalog, string Type, DateTimeOffset? UpdatedSince, DateTimeOffset? LastFullSync,
    DateTimeOffset? LastSync, string? LastResult);

/// <summary>A per-user rule: hide (<c>exclude</c>) or show only (<c>include</c>) entities of a type — tags, studios,
/// groups, performers — and, by cascade, every scene and gallery related to them.</summary>
public sealed record CatalogRule(string Type, string Mode, IReadOnlyList<string> Ids);

/// <summary>A browse request: SQL does the work. <see cref="Sort"/> is a column name browsing allows (title, date,
/// rating, duration, size, count, updated, created, id); ties always break by id. Filters of several values combine with AND.</summary>
public sealed record CatalogQuery(
    string Catalog,
    string Type,
    int Page = 1,
    int PerPage = 50,
    string Sort = "title",
    bool Descending = false,
    string? Text = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyList<string>? Studios = null,
    IReadOnlyList<string>? Performers = null,
    IReadOnlyList<string>? Groups = null,
    int? MinRating = null,
    int? MaxRating = null,
    string? DateFrom = null,
    string? DateTo = null,
    string? User = null);

/// <summary>A page of entities and how many match in all.</summary>
public sealed record CatalogPage(long Count, IReadOnlyList<CatalogEntity> Items);

/// <summary>Aggregations over a catalog (optionally as one user sees it).</summary>
public sealed record CatalogStats(IReadOnlyDictionary<string, long> Counts, IReadOnlyList<CatalogTop> TopTags, IReadOnlyList<CatalogTop> TopStudios,
    IReadOnlyList<CatalogTop> TopPerformers, double TotalDurationSeconds, long TotalSizeBytes);

/// <summary>An entity and how many scenes relate to it.</summary>
public sealed record CatalogTop(string Id, string Title, long Scenes);
