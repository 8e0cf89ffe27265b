using System.Collections.Concurrent;

namespace Tessera.Core.Catalog;

/// <summary>The configured catalogs by name, each with its upstream adapter (built once, on first use).</summary>
public sealed class CatalogRegistry(IReadOnlyDictionary<string, CatalogOptions> catalogs, UpstreamFactory factory)
{
    private readonly ConcurrentDictionary<string, Lazy<IUpstream>> _upstreams = new(StringComparer.Ordinal);

    public IEnumerable<string> Names => catalogs.Keys.Order(StringComparer.Ordinal);

    public bool Contains(string? name) => name is not null && catalogs.ContainsKey(name);

    /// <summary>A catalog's settings; <see cref="ArgumentException"/> naming the known ones when there is none.</summary>
    public CatalogOptions Get(string name) => catalogs.TryGetValue(name, out var catalog)
        ? catalog
        : throw new ArgumentException($"unknown catalog '{name}'; known: {(catalogs.Count == 0 ? "none (add --catalog NAME=stash:URL)" : string.Join(", ", Names))}", nameof(name));

    public IUpstream Upstream(string name)
    {
        var catalog = Get(name);
        return _upstreams.GetOrAdd(name, _ => new Lazy<IUpstream>(() => factory(catalog))).Value;
    }
}
