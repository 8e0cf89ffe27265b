using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Catalog;
using Tessera.Core.Index;
using Tessera.Core.Jobs;
using Tessera.Tests.Remote;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Catalog;

/// <summary>A real Tessera with catalog "stash" over a real loopback upstream: images under /image/… answer only with
/// the right ApiKey header (else a redirect to /login, as Stash does), and a small upstream adapter whose entities the
/// test sets (for the webhook). The catalog index is the real SQLite one.</summary>
public sealed class CatalogSite : IAsyncDisposable
{
    public const string ApiKey = "stash-secret-key-123";
    public const string AdminKey = "admin-key";

    private CatalogSite(Upstream upstream, TesseraHost host, EntityUpstream adapter) => (Stash, Host, Adapter) = (upstream, host, adapter);

    public Upstream Stash { get; }

    public TesseraHost Host { get; }

    public EntityUpstream Adapter { get; }

    public ICatalogIndex Index => Host.App.Services.GetRequiredService<ICatalogIndex>();

    public static async Task<CatalogSite> StartAsync(bool isPublic = false, Action<Tessera.Core.TesseraOptions>? configure = null)
    {
        var upstream = await Upstream.StartAsync((app, _) =>
        {
            app.MapGet("/image/{kind}/{id}", (HttpContext c, string kind, string id) =>
                c.Request.Headers["ApiKey"] == ApiKey
                    ? Results.Bytes(Images.SolidJpeg(64, 48, (byte)(id.Length * 40), 90, 30), "image/jpeg")
                    : Results.Redirect("/login"));
            app.MapGet("/login", () => Results.Content("<html>login</html>", "text/html"));
        });
        var adapter = new EntityUpstream();
        var host = await TesseraHost.StartAsync(_ => { }, o =>
            {
                o.AdminApiKey = AdminKey;
                configure?.Invoke(o);
            },
            services: s =>
            {
                s.AddSingleton(new CatalogSource("stash", upstream.BaseAddress, adapter, isPublic));
                s.AddSingleton<IJobKind, CatalogSyncKind>(); // configuration adds it with a configured catalog; this one is registered directly
            });
        return new CatalogSite(upstream, host, adapter);
    }

    public CatalogEntity Entity(string type, string id, string title, string? imageUrl = "default", string role = "screenshot", int? rating = null,
        string? date = null, params CatalogRelation[] relations) =>
        new(type, id, title, null, date, rating, type == CatalogTypes.Scenes ? 60 : null, type == CatalogTypes.Scenes ? 1000 : null, null,
            "2026-01-01T00:00:00+01:00", DateTimeOffset.Parse("2025-12-31T23:00:00Z", System.Globalization.CultureInfo.InvariantCulture), null, relations,
            [new CatalogImage(role, imageUrl == "default" ? new Uri(Stash.BaseAddress, $"/image/{type}/{id}?t=1").AbsoluteUri : imageUrl)], "{}");

    public Task PutAsync(params CatalogEntity[] entities) => Index.UpsertAsync("stash", entities, DateTimeOffset.UtcNow, CancellationToken.None);

    public static HttpRequestMessage Admin(HttpMethod method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", AdminKey);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Stash.DisposeAsync();
    }
}

/// <summary>An upstream adapter over entities the test sets; Authorize adds the ApiKey header as Stash's does.</summary>
public sealed class EntityUpstream : IUpstream
{
    public ConcurrentDictionary<string, CatalogEntity> Entities { get; } = new(StringComparer.Ordinal);

    public UpstreamCapabilities Capabilities => UpstreamCapabilities.Images;

    public Task<long> CountAsync(string type, DateTimeOffset? since, CancellationToken cancellationToken) =>
        Task.FromResult((long)Entities.Values.Count(e => e.Type == type));

    public bool PagesByKey(string type) => false;

    public Task<UpstreamPage> PageAsync(string type, string? after, int perPage, DateTimeOffset? since, CancellationToken cancellationToken) =>
        Task.FromResult(new UpstreamPage([], 0, null));

    public Task<CatalogEntity?> GetAsync(string type, string id, CancellationToken cancellationToken) =>
        Task.FromResult(Entities.GetValueOrDefault($"{type}/{id}"));

    public void Authorize(HttpRequestMessage request) => request.Headers.Add("ApiKey", CatalogSite.ApiKey);
}
