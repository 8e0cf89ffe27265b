namespace Tessera.Tests.Support.StashStandIn;

/// <summary>One entity of the stand-in's data set: scalar fields by their Stash names, relations by the Stash field
/// that holds them (<c>tags</c>, <c>studio</c>, <c>parents</c>…), and timestamps kept as instants in the server's offset.</summary>
public sealed class StandInEntity(string type, long id)
{
    public string Type { get; } = type;

    public long Id { get; } = id;

    public Dictionary<string, object?> Fields { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<long>> Relations { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>False: Stash answers with its generic default (<c>default=true</c>) for this entity's image.</summary>
    public bool HasImage { get; set; } = true;

    /// <summary>Bumped when the image changes (Stash's <c>?t=</c>), so its URL changes.</summary>
    public int ImageVersion { get; set; } = 1;

    public string Title
    {
        get => (string?)(Fields.GetValueOrDefault("title") ?? Fields.GetValueOrDefault("name")) ?? "";
        set => Fields[Fields.ContainsKey("name") ? "name" : "title"] = value;
    }

    public List<long> Related(string field) => Relations.TryGetValue(field, out var ids) ? ids : Relations[field] = [];
}
