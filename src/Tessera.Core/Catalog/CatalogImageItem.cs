using System.Security.Cryptography;
using System.Text;
using Tessera.Core.Sources.Chain;

namespace Tessera.Core.Catalog;

/// <summary>A catalog entity's image as an item (<c>/i/{catalog}/{singular}:{id}/{role}</c>): the upstream URL the
/// catalog holds for that role now, or null when the upstream has only its generic default ("no cover").</summary>
public sealed record CatalogImageItem(string Catalog, string Type, string Id, string Role, Uri? Url) : ThumbnailItem
{
    public override string Identity => IdentityOf(Catalog, Type, Id, Role);

    /// <summary>Stands for "has this image changed?": a changed URL (Stash puts a timestamp in it) is tried again at once.</summary>
    public long UrlStamp => Url is null ? 0 : BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(Url.AbsoluteUri)));

    public static string IdentityOf(string catalog, string type, string id, string role) =>
        $"catalog:{catalog}/{CatalogTypes.Singular(type)}:{id}/{role}";

    /// <summary>The prefix of every identity of an entity's images (all its roles).</summary>
    public static string EntityPrefix(string catalog, string type, string id) => $"catalog:{catalog}/{CatalogTypes.Singular(type)}:{id}/";
}

/// <summary>The step of a catalog image whose upstream has no image of its own: "no cover", with nothing fetched.</summary>
internal sealed class NoCatalogImageStep : ISourceStep
{
    public string Name => Steps.Catalog;

    public Task<StepOutcome> ResolveAsync(CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Nothing(Steps.Catalog, "the upstream has only its default image for this entity"));
}
