namespace Tessera.Core.Catalog.Stash;

/// <summary>The hand-written GraphQL operations for one catalog type: Stash's find-many (<c>findScenes</c>…) with a
/// <c>FindFilterType</c> and the type's own filter (for <c>updated_at</c>), and find-one (<c>findScene(id)</c>).
/// Every field asked for exists in Stash's schema (the tests validate the text against a schema subset).</summary>
/// <param name="IdCriterion">The type's filter has <c>id: IntCriterionInput</c> (Stash: scenes and galleries only; its
/// performer, studio, tag and group filters have none), so full listings can page as a keyset.</param>
internal sealed record StashOperation(string Type, string Many, string List, string One, string FilterArgument, string FilterType, string Fields,
    bool IdCriterion = false)
{
    private const string Ref = "{ id name }";

    public static IReadOnlyDictionary<string, StashOperation> ByType { get; } = new Dictionary<string, StashOperation>(StringComparer.Ordinal)
    {
        [CatalogTypes.Scenes] = new(CatalogTypes.Scenes, "findScenes", "scenes", "findScene", "scene_filter", "SceneFilterType",
            $"id title code details director urls date rating100 organized created_at updated_at files {{ basename size duration }} paths {{ screenshot }} studio {Ref} tags {Ref} performers {Ref} groups {{ group {Ref} }} galleries {{ id title }}", IdCriterion: true),
        [CatalogTypes.Performers] = new(CatalogTypes.Performers, "findPerformers", "performers", "findPerformer", "performer_filter", "PerformerFilterType",
            $"id name disambiguation details birthdate gender country alias_list favorite rating100 scene_count image_path created_at updated_at tags {Ref}"),
        [CatalogTypes.Studios] = new(CatalogTypes.Studios, "findStudios", "studios", "findStudio", "studio_filter", "StudioFilterType",
            $"id name details aliases favorite rating100 scene_count image_path created_at updated_at parent_studio {Ref} tags {Ref}"),
        [CatalogTypes.Tags] = new(CatalogTypes.Tags, "findTags", "tags", "findTag", "tag_filter", "TagFilterType",
            $"id name description aliases favorite scene_count image_path created_at updated_at parents {Ref}"),
        [CatalogTypes.Groups] = new(CatalogTypes.Groups, "findGroups", "groups", "findGroup", "group_filter", "GroupFilterType",
            $"id name aliases synopsis director date duration rating100 scene_count front_image_path back_image_path created_at updated_at studio {Ref} tags {Ref}"),
        [CatalogTypes.Galleries] = new(CatalogTypes.Galleries, "findGalleries", "galleries", "findGallery", "gallery_filter", "GalleryFilterType",
            $"id title code details photographer date rating100 organized image_count created_at updated_at files {{ basename }} paths {{ cover }} studio {Ref} tags {Ref} performers {Ref} scenes {{ id title }}", IdCriterion: true),
    };

    public static StashOperation For(string type) =>
        ByType.TryGetValue(type, out var operation) ? operation : throw new ArgumentOutOfRangeException(nameof(type), type, "not a Stash catalog type");

    /// <summary>A page (or, with <paramref name="countOnly"/>, just the count) of the type.</summary>
    public string ManyQuery(bool countOnly) =>
        $"query Find($filter: FindFilterType, $where: {FilterType}) {{ {Many}(filter: $filter, {FilterArgument}: $where) {{ count{(countOnly ? "" : $" {List} {{ {Fields} }}")} }} }}";

    public string OneQuery => $"query FindOne($id: ID!) {{ {One}(id: $id) {{ {Fields} }} }}";
}
