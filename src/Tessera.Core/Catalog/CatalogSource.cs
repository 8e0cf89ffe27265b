namespace Tessera.Core.Catalog;

/// <summary>A configured catalog: its name (in <c>/api/catalog/{name}</c> and <c>/i/{name}/…</c>), the upstream's base
/// URL (its origin is the only one catalog image fetches may reach, and they carry the key only there), the adapter,
/// and whether browsing is open without the admin key (<c>Catalogs:NAME:Public</c>, default false).</summary>
public sealed record CatalogSource(string Name, Uri Url, IUpstream Upstream, bool Public = false)
{
    /// <summary>Whether <paramref name="url"/> is on this catalog's origin (scheme, host and port).</summary>
    public bool IsOwnOrigin(Uri url) =>
        url is { IsAbsoluteUri: true } && Uri.Compare(url, Url, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}

/// <summary>The configured catalogs by name (every <see cref="CatalogSource"/> registered in the container).</summary>
public sealed class CatalogSources(IEnumerable<CatalogSource> sources)
{
    private readonly Dictionary<string, CatalogSource> _byName = sources.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<CatalogSource> All => _byName.Values;

    public bool TryGet(string name, out CatalogSource source) => _byName.TryGetValue(name, out source!);

    /// <summary>The catalog whose origin <paramref name="url"/> is on, or null.</summary>
    public CatalogSource? ByOrigin(Uri url) => _byName.Values.FirstOrDefault(s => s.IsOwnOrigin(url));
}
