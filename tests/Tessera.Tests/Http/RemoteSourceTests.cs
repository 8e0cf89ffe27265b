using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.Core.Signing;
using Tessera.Tests.Remote;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http;

/// <summary>Remote sources end to end: the real server fetching from a real loopback provider through the guarded
/// client, for signed /r/ URLs, registered items and provider templates. Every outcome: the status, the negative
/// entry, what was cached, and how many requests the provider saw.</summary>
public sealed class RemoteSourceTests : IAsyncLifetime
{
    private const string SigningKey = "remote-tests-signing-key-01";
    private const string AdminKey = "remote-tests-admin-key-0123";
    private static readonly byte[] Big = Images.SolidJpeg(1200, 900, 200, 30, 30);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private volatile bool _toggleUp = true;
    private Upstream _upstream = null!;
    private TesseraHost _host = null!;

    public async Task InitializeAsync()
    {
        _upstream = await Upstream.StartAsync((app, up) =>
        {
            ProviderRoutes.Map(app, up);
            app.MapGet("/big.jpg", () => Results.Bytes(Big, "image/jpeg"));
            app.MapGet("/isbn/{id}", (string id) => id == "978-0156012195.jpg" ? Results.Bytes(Big, "image/jpeg") : Results.NotFound());
            app.MapGet("/roles/{id}/{file}", (string id, string file) =>
                file == "backdrop.jpg" ? Results.Bytes(Images.SolidJpeg(640, 360, 20, 90, 160), "image/jpeg") : Results.NotFound());
            app.MapGet("/toggle", (HttpContext c) =>
            {
                c.Response.Headers.CacheControl = "max-age=60";
                return _toggleUp ? Results.Bytes(Big, "image/jpeg") : Results.StatusCode(500);
            });
        });
        _host = await StartHostAsync(allowLoopback: true);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task ASignedUrl_IsFetchedOnce_ForEveryPreset()
    {
        foreach (var preset in new[] { "thumb", "grid", "grid2x", "detail", "grid" })
        {
            using var response = await GetSigned(preset, _upstream.Url("/big.jpg"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("remote", HttpAssert.Header(response, "X-Tessera-Source"));
            Assert.Equal("image/webp", response.Content.Headers.ContentType!.MediaType);
        }

        Assert.Equal(1, _upstream.Hits("/big.jpg"));
        Assert.Equal(4, _host.Cache.Service.Generations);
        Assert.Single(OriginalFiles());
    }

    [Fact]
    public async Task ARegisteredItem_TriesItsUrlsInOrder_AndAFailedUrlIsNotAskedAgain()
    {
        await RegisterAsync("lib", "B00X", "cover", _upstream.Url("/missing").AbsoluteUri, _upstream.Url("/big.jpg").AbsoluteUri);

        for (var i = 0; i < 3; i++)
        {
            using var response = await _host.Client.GetAsync(i == 2 ? "/i/lib/B00X/cover?preset=thumb" : "/i/lib/B00X/cover");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, _upstream.Hits("/missing"));
        Assert.Equal(1, _upstream.Hits("/big.jpg"));
    }

    [Fact]
    public async Task AProviderTemplate_GivesEveryIdOfALibraryACover_AliasesIncluded()
    {
        using (var admin = AdminRequest(HttpMethod.Post, "/api/items/books/978-0156012195/aliases", new { aliases = new[] { "petit-prince" } }))
        {
            (await _host.Client.SendAsync(admin)).EnsureSuccessStatusCode();
        }

        using var byIsbn = await _host.Client.GetAsync("/i/books/978-0156012195/cover");
        using var byAlias = await _host.Client.GetAsync("/i/books/petit-prince/cover");
        using var unknown = await _host.Client.GetAsync("/i/books/000/cover");

        Assert.Equal(HttpStatusCode.OK, byIsbn.StatusCode);
        Assert.Equal(byIsbn.Headers.ETag, byAlias.Headers.ETag);
        Assert.Equal(1, _upstream.Hits("/isbn/978-0156012195.jpg"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not-found", HttpAssert.Header(unknown, "X-Tessera-Placeholder"));
    }

    public static TheoryData<string, int, string> Failures() => new()
    {
        { "/always-500", 200, "upstream-error" },
        { "/missing", 404, "not-found" },
        { "/html-as-jpeg", 200, "decode-failed" },
        { "/svg", 200, "decode-failed" },
        { "/declared-large?length=10000000", 200, "too-large" },
        { "/endless", 200, "too-large" },
        { "/slow-body", 200, "timeout" },
        { "/to?url=http://10.0.0.1/x.jpg", 403, "blocked" },
        { "/to?url=http://169.254.169.254/latest/meta-data", 403, "blocked" },
        { "/redirect/6", 403, "blocked" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task EveryFailure_GetsItsPlaceholderAndNegativeEntry_CachesNothing_AndIsNotFetchedAgainWhileNegative(string path, int status, string reason)
    {
        var url = _upstream.Url(path);
        using var first = await GetSigned("grid", url);
        var requests = _upstream.Requests;
        using var second = await GetSigned("grid", url);

        foreach (var response in new[] { first, second })
        {
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal(reason, HttpAssert.Header(response, "X-Tessera-Placeholder"));
            Assert.StartsWith("image/", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        }

        Assert.Equal(requests, _upstream.Requests);
        Assert.Empty(OriginalFiles());
        var negatives = await _host.Cache.ListNegativesAsync(null, 0, 10, default);
        Assert.Contains(negatives, n => n.Item == "url:" + url.AbsoluteUri && n.Source == "url" && Core.Pipeline.FailureReasons.ToText(n.Reason) == reason);
        Assert.Contains(negatives, n => n.Item == "signed:" + url.AbsoluteUri && n.Source == "signed");
    }

    [Fact]
    public async Task AProviderAskingForALongPause_IsNotAskedAgainBeforeIt()
    {
        var url = _upstream.Url("/busy-long"); // 503 with Retry-After: 3600
        using var first = await GetSigned("grid", url);
        Assert.Equal("upstream-error", HttpAssert.Header(first, "X-Tessera-Placeholder"));
        var requests = _upstream.Hits("/busy-long");

        _clock.Advance(TimeSpan.FromMinutes(30)); // well past the usual first backoff (1-2 min), short of the hour asked
        using var second = await GetSigned("grid", url);

        Assert.Equal("upstream-error", HttpAssert.Header(second, "X-Tessera-Placeholder"));
        Assert.Equal(requests, _upstream.Hits("/busy-long"));
        var entry = (await _host.Cache.ListNegativesAsync(null, 0, 10, default)).Single(n => n.Item == "url:" + url.AbsoluteUri);
        Assert.True(entry.RetryAt >= entry.LastFailedAt + TimeSpan.FromHours(1), $"retry at {entry.RetryAt}, failed at {entry.LastFailedAt}");
    }

    [Fact]
    public async Task AStaleOriginal_IsRevalidatedWithItsETag_And304KeepsEverything()
    {
        using var first = await GetSigned("grid", _upstream.Url("/img.png"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        _clock.Advance(TimeSpan.FromHours(2)); // past the provider's max-age=3600

        using var second = await GetSigned("grid", _upstream.Url("/img.png"));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal("hit", HttpAssert.Header(second, "X-Tessera-Cache"));
        Assert.Equal(2, _upstream.Hits("/img.png"));
        Assert.Equal("\"v1\"", _upstream.RequestHeaders[^1]["If-None-Match"].ToString());
        Assert.Equal(1, _host.Cache.Service.Generations);
    }

    [Fact]
    public async Task AProviderThatFailsLater_LeavesTheStaleCopyServed()
    {
        using var first = await GetSigned("grid", _upstream.Url("/toggle"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        _toggleUp = false;
        _clock.Advance(TimeSpan.FromMinutes(5));

        using var second = await GetSigned("grid", _upstream.Url("/toggle"));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Null(HttpAssert.Header(second, "X-Tessera-Placeholder"));
        Assert.True(_upstream.Hits("/toggle") >= 2);
    }

    [Fact]
    public async Task WithoutAnAllowedNetwork_LoopbackIsBlocked_AndNothingReachesIt()
    {
        await using var strict = await StartHostAsync(allowLoopback: false);

        foreach (var url in new[] { _upstream.Url("/big.jpg").AbsoluteUri, $"http://2130706433:{_upstream.Port}/big.jpg", $"http://[::ffff:127.0.0.1]:{_upstream.Port}/big.jpg", $"http://localhost:{_upstream.Port}/big.jpg" })
        {
            using var response = await strict.Client.GetAsync(new UrlSigner([SigningKey]).Sign("grid", url));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("blocked", HttpAssert.Header(response, "X-Tessera-Placeholder"));
        }

        Assert.Equal(0, _upstream.Requests);
    }

    [Fact]
    public async Task APurge_AlsoRemovesWhatARoleServedOnlyThroughAProviderTemplateLeft()
    {
        await RegisterAsync("books", "shelf-7", "cover", _upstream.Url("/big.jpg").AbsoluteUri);
        foreach (var role in new[] { "cover", "backdrop" })
        {
            using var response = await _host.Client.GetAsync(new Uri($"/i/books/shelf-7/{role}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, _upstream.Hits("/roles/shelf-7/backdrop.jpg")); // backdrop has no registration: the template served it
        Assert.Equal(2, OriginalFiles().Length);

        using (var purge = new HttpRequestMessage(HttpMethod.Delete, "/api/items/books/shelf-7"))
        {
            purge.Headers.Add("X-Api-Key", AdminKey);
            using var response = await _host.Client.SendAsync(purge);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Empty(OriginalFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(_host.Root, "data", "renditions"), "*.webp", SearchOption.AllDirectories));

        // Nothing in memory remembered the download: asked again, the provider is asked again.
        using var again = await _host.Client.GetAsync(new Uri("/i/books/shelf-7/backdrop", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, _upstream.Hits("/roles/shelf-7/backdrop.jpg"));
    }

    private async Task<TesseraHost> StartHostAsync(bool allowLoopback) =>
        await TesseraHost.StartAsync(_ => { }, o =>
        {
            if (allowLoopback)
            {
                o.Remote.AllowedNetworks.Add("127.0.0.1/32");
            }

            o.Remote.Timeout = TimeSpan.FromSeconds(1);
            o.Remote.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
            o.Remote.MaxBytes = 1024 * 1024;
            o.RemoteCache.Clock = _clock;
            o.Negative.Clock = _clock;
            o.SigningKeys.Add(SigningKey);
            o.AdminApiKey = AdminKey;
            o.Providers["books"] =
            [
                _upstream.Url("/isbn/{id}.jpg").AbsoluteUri.Replace("%7Bid%7D", "{id}", StringComparison.Ordinal),
                _upstream.Url("/roles/{id}/{role}.jpg").AbsoluteUri.Replace("%7Bid%7D", "{id}", StringComparison.Ordinal).Replace("%7Brole%7D", "{role}", StringComparison.Ordinal),
            ];
        });

    private Task<HttpResponseMessage> GetSigned(string preset, Uri url) =>
        _host.Client.GetAsync(new UrlSigner([SigningKey]).Sign(preset, url.AbsoluteUri));

    private async Task RegisterAsync(string library, string id, string role, params string[] sources)
    {
        using var request = AdminRequest(HttpMethod.Put, $"/api/items/{library}/{id}/{role}", new { sources });
        using var response = await _host.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private static HttpRequestMessage AdminRequest(HttpMethod method, string path, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = TestJson.Content(body) };
        request.Headers.Add("X-Api-Key", AdminKey);
        return request;
    }

    private string[] OriginalFiles()
    {
        var renditions = Path.Combine(_host.Root, "data", "renditions");
        return Directory.Exists(renditions) ? Directory.GetFiles(renditions, "*.orig", SearchOption.AllDirectories) : [];
    }
}
