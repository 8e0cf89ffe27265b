using Tessera.Core.Catalog;

namespace Tessera.Server.Catalog;

/// <summary>Entities as the API shows them: image roles become Tessera item URLs (<c>/i/{catalog}/{singular}:{id}/{role}</c>,
/// with <c>?user=</c> when browsing as a user, so a hidden entity's image stays refused), never the upstream's URL.</summary>
public static class CatalogDocuments
{
    public static CatalogItemDocument Item(string catalog, CatalogEntity e, string? user)
    {
        var relations = e.Relations.GroupBy(r => r.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => r.Id).ToList(), StringComparer.Ordinal);
        var images = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var image in e.Images)
        {
            images[image.Role] = image.Url is null ? null : ImageUrl(catalog, e.Type, e.Id, image.Role, user);
        }

        return new CatalogItemDocument(e.Type, e.Id, e.Title, e.Details, e.Date, e.Rating, e.DurationSeconds, e.SizeBytes, e.Count, e.UpdatedAtUtc,
            e.CreatedAtUtc, relations, images);
    }

    public static string ImageUrl(string catalog, string type, string id, string role, string? user) =>
        $"/i/{Uri.EscapeDataString(catalog)}/{CatalogTypes.Singular(type)}:{Uri.EscapeDataString(id)}/{role}"
        + (user is null ? "" : "?user=" + Uri.EscapeDataString(user));
}
