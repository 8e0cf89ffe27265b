using System.Net;
using Tessera.Core.Catalog;

namespace Tessera.Tests.Http.Catalog;

public sealed class CatalogImageTests
{
    private static string Everything(HttpResponseMessage response, byte[] body) =>
        string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"))
        + "\n" + System.Text.Encoding.Latin1.GetString(body);

    [Fact]
    public async Task EntityImage_IsFetchedWithTheKey_Cached_AndTheKeyNeverLeaves()
    {
        await using var site = await CatalogSite.StartAsync();
        await site.PutAsync(site.Entity(CatalogTypes.Scenes, "123", "Alpha"));

        using var first = await site.Host.Client.GetAsync(new Uri("/i/stash/scene:123/screenshot?preset=thumb", UriKind.Relative));
        var body = await first.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("miss", first.Headers.GetValues("X-Tessera-Cache").Single());
        Assert.Equal(1, site.Stash.Hits("/image/scenes/123"));
        Assert.Contains(site.Stash.RequestHeaders, h => h["ApiKey"] == CatalogSite.ApiKey);
        Assert.DoesNotContain(CatalogSite.ApiKey, Everything(first, body), StringComparison.Ordinal);

        using var second = await site.Host.Client.GetAsync(new Uri("/i/stash/scene:123/screenshot?preset=thumb", UriKind.Relative));
        Assert.Equal("hit", second.Headers.GetValues("X-Tessera-Cache").Single());
        Assert.Equal(1, site.Stash.Hits("/image/scenes/123"));
    }

    [Fact]
    public async Task DefaultImage_IsNoCover_AndNeverAskedOfTheUpstream()
    {
        await using var site = await CatalogSite.StartAsync();
        await site.PutAsync(site.Entity(CatalogTypes.Performers, "7", "Nobody", imageUrl: null, role: "image"));
        for (var i = 0; i < 2; i++)
        {
            using var response = await site.Host.Client.GetAsync(new Uri("/i/stash/performer:7/image", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("no-cover", response.Headers.GetValues("X-Tessera-Placeholder").Single());
        }

        Assert.Equal(0, site.Stash.Requests);
    }

    [Fact]
    public async Task HiddenEntity_IsRefusedForTheRestrictedUser_MissingOnesAre404()
    {
        await using var site = await CatalogSite.StartAsync();
        await site.PutAsync(
            site.Entity(CatalogTypes.Tags, "2", "Night", role: "image"),
            site.Entity(CatalogTypes.Scenes, "11", "Bravo", relations: [new CatalogRelation(CatalogTypes.Tags, "2")]));
        await site.Index.PutRulesAsync("stash", "bob", [new CatalogRule(CatalogTypes.Tags, "exclude", ["2"])], CancellationToken.None);

        using (var hidden = await site.Host.Client.GetAsync(new Uri("/i/stash/scene:11/screenshot?user=bob", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            Assert.Equal("not-found", hidden.Headers.GetValues("X-Tessera-Placeholder").Single());
        }

        Assert.Equal(0, site.Stash.Requests);
        using (var shown = await site.Host.Client.GetAsync(new Uri("/i/stash/scene:11/screenshot?user=alice", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
            Assert.True(shown.Headers.Contains("X-Tessera-Cache"));
        }

        using (var missing = await site.Host.Client.GetAsync(new Uri("/i/stash/scene:999/screenshot", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        await site.Index.SoftDeleteAsync("stash", CatalogTypes.Scenes, "11", DateTimeOffset.UtcNow, CancellationToken.None);
        using (var deleted = await site.Host.Client.GetAsync(new Uri("/i/stash/scene:11/screenshot", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
        }

        using var malformed = await site.Host.Client.GetAsync(new Uri("/i/stash/sprocket:1/screenshot", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task AnImageUrlOffTheCatalogsOrigin_IsBlocked_AndTheKeyIsNotSent()
    {
        await using var site = await CatalogSite.StartAsync();
        await using var elsewhere = await Tessera.Tests.Remote.Upstream.StartAsync();
        await site.PutAsync(site.Entity(CatalogTypes.Scenes, "5", "Elsewhere", imageUrl: elsewhere.Url("/photo.jpg").AbsoluteUri));

        using var response = await site.Host.Client.GetAsync(new Uri("/i/stash/scene:5/screenshot", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("blocked", response.Headers.GetValues("X-Tessera-Placeholder").Single());
        Assert.Equal(0, elsewhere.Requests);
    }

    [Fact]
    public async Task WithoutTheKey_TheUpstreamsLoginRedirect_IsNoImage()
    {
        await using var site = await CatalogSite.StartAsync();
        // An image URL on the catalog's origin that the stand-in answers only with a redirect to its login page.
        await site.PutAsync(site.Entity(CatalogTypes.Scenes, "6", "Login", imageUrl: site.Stash.Url("/login").AbsoluteUri));
        using var response = await site.Host.Client.GetAsync(new Uri("/i/stash/scene:6/screenshot", UriKind.Relative));
        Assert.Equal("decode-failed", response.Headers.GetValues("X-Tessera-Placeholder").Single());
        Assert.DoesNotContain(CatalogSite.ApiKey, Everything(response, await response.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
    }
}
