using System.Globalization;
using System.Text.Json;

namespace Tessera.Core.Catalog.Stash;

/// <summary>Maps one Stash entity (as JSON) to a <see cref="CatalogEntity"/>: the browsing columns, the relations, the
/// images by role, and the whole JSON for detail views.</summary>
internal sealed class StashMapper(Uri server)
{
    public CatalogEntity Map(string type, JsonElement element)
    {
        var e = element.Deserialize(StashJsonContext.Default.StashEntity)
            ?? throw new JsonException("a null entity");
        var updatedAt = e.UpdatedAt ?? throw new JsonException($"{CatalogTypes.Singular(type)} {e.Id} has no updated_at");
        var file = e.Files is { Count: > 0 } files ? files[0] : null;
        return new CatalogEntity(
            type,
            e.Id,
            e.Title is { Length: > 0 } title ? title : e.Name ?? file?.Basename ?? "",
            e.Details ?? e.Description ?? e.Synopsis,
            e.Date ?? e.Birthdate,
            e.Rating100,
            type == CatalogTypes.Scenes ? file?.Duration : e.Duration,
            file?.Size,
            e.SceneCount ?? e.ImageCount,
            updatedAt,
            ParseTime(updatedAt),
            e.CreatedAt is { } created ? ParseTime(created) : null,
            Relations(type, e),
            Images(type, e),
            element.GetRawText());
    }

    /// <summary>Stash's Time scalar: RFC 3339 with the server's local offset, second precision.</summary>
    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces).ToUniversalTime();

    private static List<CatalogRelation> Relations(string type, StashEntity e)
    {
        var relations = new List<CatalogRelation>();
        void Add(string relType, IEnumerable<StashRef?>? refs)
        {
            foreach (var r in refs ?? [])
            {
                if (r is { Id.Length: > 0 })
                {
                    relations.Add(new CatalogRelation(relType, r.Id));
                }
            }
        }

        switch (type)
        {
            case CatalogTypes.Scenes:
                Add(CatalogTypes.Tags, e.Tags);
                Add(CatalogTypes.Performers, e.Performers);
                Add(CatalogTypes.Studios, [e.Studio]);
                Add(CatalogTypes.Groups, e.Groups?.Select(g => g.Group));
                Add(CatalogTypes.Galleries, e.Galleries);
                break;
            case CatalogTypes.Galleries:
                Add(CatalogTypes.Tags, e.Tags);
                Add(CatalogTypes.Performers, e.Performers);
                Add(CatalogTypes.Studios, [e.Studio]);
                Add(CatalogTypes.Scenes, e.Scenes);
                break;
            case CatalogTypes.Performers:
                Add(CatalogTypes.Tags, e.Tags);
                break;
            case CatalogTypes.Studios:
                Add(CatalogTypes.Studios, [e.ParentStudio]);
                Add(CatalogTypes.Tags, e.Tags);
                break;
            case CatalogTypes.Tags:
                Add(CatalogTypes.Tags, e.Parents);
                break;
            case CatalogTypes.Groups:
                Add(CatalogTypes.Studios, [e.Studio]);
                Add(CatalogTypes.Tags, e.Tags);
                break;
        }

        return relations;
    }

    private List<CatalogImage> Images(string type, StashEntity e) => type switch
    {
        CatalogTypes.Scenes => [Image("screenshot", e.Paths?.Screenshot)],
        CatalogTypes.Galleries => [Image("cover", e.Paths?.Cover)],
        CatalogTypes.Groups => [Image("front", e.FrontImagePath), Image("back", e.BackImagePath)],
        _ => [Image("image", e.ImagePath)],
    };

    /// <summary>Stash's generic default (<c>default=true</c>) is "no image". A URL on another origin than the configured
    /// server is rebased onto it (Stash builds URLs from its own idea of its host), so the key only ever goes there.</summary>
    private CatalogImage Image(string role, string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(server, url, out var uri) || IsDefault(uri))
        {
            return new CatalogImage(role, null);
        }

        if (Uri.Compare(uri, server, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            uri = new Uri(server, uri.PathAndQuery);
        }

        return new CatalogImage(role, uri.AbsoluteUri);
    }

    private static bool IsDefault(Uri uri) => uri.Query.TrimStart('?').Split('&')
        .Any(p => p.Equals("default=true", StringComparison.OrdinalIgnoreCase));
}
