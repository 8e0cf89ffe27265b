using System.Net;
using Microsoft.Extensions.Logging;
using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Remote;
using Tessera.Core.Sources.Chain;
using Tessera.Core.Storage;

namespace Tessera.Core.Catalog;

/// <summary>Catalog entities' images as items: what <c>/i/{catalog}/{singular}:{id}/{role}</c> names, fetched on a
/// stack of its own that connects only to the configured catalogs' origins and adds the upstream's key (IUpstream.Authorize)
/// only to requests for its own origin; downloads are kept content-addressed like every remote original. The key is a
/// request header: it never appears in a URL, a log line, a redirect or a response.</summary>
public sealed class CatalogImages : IDisposable
{
    private readonly CatalogSources _sources;
    private readonly ICatalogIndex _index;
    private readonly NegativeCache _negatives;
    private readonly SocketsHttpHandler _handler;
    private readonly RemoteOriginals _originals;

    public CatalogImages(CatalogSources sources, ICatalogIndex index, RemoteOptions remote, IDerivedIndex derived, OriginalStore originals,
        IRenditionStore store, NegativeCache negatives, RemoteCacheOptions cache, TimeProvider time, ILogger<RemoteFetcher> logger)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(remote);
        _sources = sources;
        _index = index;
        _negatives = negatives;
        var options = PinnedOptions(remote, sources.All.Select(s => s.Url));
        _handler = RemoteHttp.CreatePinnedHandler(options, sources.All.Select(s => s.Url));
        var fetcher = new RemoteFetcher(new PinnedClients(_handler), options, time, logger, Credentials, PinnedClients.Name);
        _originals = new RemoteOriginals(new Lazy<RemoteFetcher>(fetcher), derived, originals, store, negatives, cache);
    }

    /// <summary>Upstream requests made for images (redirect hops and retries included).</summary>
    public long Requests => _originals.Fetcher.Requests;

    public ISourceStep Step(Uri url) => new RemoteStep(url, _originals);

    public bool IsCatalog(string name) => _sources.TryGet(name, out _);

    /// <summary>The item an <c>/i/</c> id names (<c>scene:123</c>) for a role, or why not: a malformed id (400), or an
    /// entity that is missing, soft-deleted or hidden from <paramref name="user"/> (404: its existence is not revealed).</summary>
    public async Task<CatalogImageLookup> ResolveAsync(string catalog, string itemId, string role, string? user, CancellationToken cancellationToken)
    {
        var colon = itemId.IndexOf(':', StringComparison.Ordinal);
        var type = colon > 0 ? CatalogTypes.All.FirstOrDefault(t => CatalogTypes.Singular(t) == itemId[..colon]) : null;
        var id = colon > 0 ? itemId[(colon + 1)..] : "";
        if (type is null || id.Length is 0 or > 64)
        {
            return new CatalogImageLookup(null, 400, $"'{itemId}' is not a catalog id: expected TYPE:ID with TYPE one of {string.Join(", ", CatalogTypes.All.Select(CatalogTypes.Singular))}");
        }

        var entity = await _index.GetAsync(catalog, type, id, user, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return new CatalogImageLookup(null, 404, $"no {CatalogTypes.Singular(type)} '{id}' in catalog '{catalog}'");
        }

        if (entity.Images.FirstOrDefault(i => i.Role == role) is not { } image)
        {
            return new CatalogImageLookup(null, 404, $"a {CatalogTypes.Singular(type)} has no image role '{role}'; it has: {string.Join(", ", entity.Images.Select(i => i.Role))}");
        }

        var url = image.Url is { } text && Uri.TryCreate(text, UriKind.Absolute, out var u) ? u : null;
        return new CatalogImageLookup(new CatalogImageItem(catalog, type, id, role, url), 200, null);
    }

    /// <summary>The purge hook for the sync: entities deleted or whose image URLs changed lose their negative entries
    /// and the downloads of their current URLs, so their next request fetches again.</summary>
    public async Task PurgeAsync(string catalog, IReadOnlyList<CatalogEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        foreach (var entity in entities)
        {
            await PurgeAsync(catalog, entity.Type, entity.Id, cancellationToken).ConfigureAwait(false);
            var urls = entity.Images.Select(i => Uri.TryCreate(i.Url, UriKind.Absolute, out var u) ? u : null).OfType<Uri>().ToList();
            await _originals.ForgetAsync(urls, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Forgets what is remembered of one entity's images by id (a destroy, whose URLs may be gone).</summary>
    public Task PurgeAsync(string catalog, string type, string id, CancellationToken cancellationToken) =>
        _negatives.ForgetPrefixAsync(CatalogImageItem.EntityPrefix(catalog, type, id), cancellationToken);

    public void Dispose() => _handler.Dispose();

    private Action<HttpRequestMessage>? Credentials(Uri url) => _sources.ByOrigin(url) is { } source ? source.Upstream.Authorize : null;

    /// <summary>The remote limits, with the allow-list narrowed to the catalogs' hosts (an IP literal host is its own
    /// allowed network, so the literal check passes for it and for nothing else).</summary>
    private static RemoteOptions PinnedOptions(RemoteOptions remote, IEnumerable<Uri> origins)
    {
        var options = new RemoteOptions
        {
            Timeout = remote.Timeout, MaxBytes = remote.MaxBytes, MaxRedirects = remote.MaxRedirects, MaxRetries = remote.MaxRetries,
            RetryBaseDelay = remote.RetryBaseDelay, MaxRetryAfter = remote.MaxRetryAfter, MaxConnectionsPerHost = remote.MaxConnectionsPerHost,
            UserAgent = remote.UserAgent,
        };
        foreach (var origin in origins)
        {
            var host = origin.IdnHost.TrimStart('[').TrimEnd(']');
            if (IPAddress.TryParse(host, out var address))
            {
                options.AllowedNetworks.Add(address.ToString());
            }

            options.AllowedHosts.Add(host);
        }

        if (options.AllowedHosts.Count == 0)
        {
            options.AllowedHosts.Add("catalog.invalid"); // no catalog: an empty list would mean "any host"
        }

        return options;
    }

    private sealed class PinnedClients(SocketsHttpHandler handler) : IHttpClientFactory
    {
        public const string Name = "tessera-catalog";

        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }
}

/// <summary>An image item, or the status (400/404) and why.</summary>
public sealed record CatalogImageLookup(CatalogImageItem? Item, int Status, string? Problem);
