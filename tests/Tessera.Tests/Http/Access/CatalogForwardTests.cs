using System.Net;
using Tessera.Core.Access;
using Tessera.Core.Catalog;
using Tessera.Tests.Http.Catalog;

namespace Tessera.Tests.Http.Access;

/// <summary>A catalog behind forward access: the user the app names gets that user's restrictions, and ?user= cannot
/// swap them for another's.</summary>
public sealed class CatalogForwardTests
{
    [Fact]
    public async Task TheForwardedUser_IsWhoseRestrictionsApply_AndUserQueryCannotOverrideIt()
    {
        await using var auth = await AuthApp.StartAsync();
        await using var site = await CatalogSite.StartAsync(isPublic: true, configure: o =>
        {
            o.Access.Modes["stash"] = AccessMode.Forward;
            o.Access.AuthUrl = new Uri(auth.BaseAddress, "/auth");
        });
        await site.PutAsync(
            site.Entity(CatalogTypes.Tags, "2", "Night", role: "image"),
            site.Entity(CatalogTypes.Scenes, "11", "Bravo", relations: [new CatalogRelation(CatalogTypes.Tags, "2")]),
            site.Entity(CatalogTypes.Scenes, "12", "Charlie"));
        await site.Index.PutRulesAsync("stash", "bob", [new CatalogRule(CatalogTypes.Tags, "exclude", ["2"])], CancellationToken.None);

        using (var anonymous = await site.Host.Client.GetAsync(new Uri("/i/stash/scene:11/screenshot", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        Assert.Equal(0, site.Stash.Requests);
        using (var bob = await site.Host.Client.SendAsync(AuthApp.Get("/i/stash/scene:11/screenshot?user=alice", bearer: "bob")))
        {
            Assert.Equal(HttpStatusCode.NotFound, bob.StatusCode);
            Assert.Equal("not-found", bob.Headers.GetValues("X-Tessera-Placeholder").Single());
        }

        Assert.Equal(0, site.Stash.Requests);
        using (var alice = await site.Host.Client.SendAsync(AuthApp.Get("/i/stash/scene:11/screenshot", bearer: "alice")))
        {
            Assert.Equal(HttpStatusCode.OK, alice.StatusCode);
            Assert.True(alice.Headers.CacheControl!.Private);
        }

        using var page = await site.Host.Client.SendAsync(AuthApp.Get("/api/catalog/stash/scenes?user=alice", bearer: "bob"));
        var body = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Charlie", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Bravo", body, StringComparison.Ordinal);

        using var refused = await site.Host.Client.GetAsync(new Uri("/api/catalog/stash/scenes", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
