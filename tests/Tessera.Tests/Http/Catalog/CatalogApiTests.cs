using System.Net;
using System.Text.Json;
using Tessera.Core.Catalog;

namespace Tessera.Tests.Http.Catalog;

public sealed class CatalogApiTests
{
    private static CatalogRelation Tag(string id) => new(CatalogTypes.Tags, id);

    private static async Task SeedAsync(CatalogSite site) => await site.PutAsync(
        site.Entity(CatalogTypes.Tags, "1", "Beach", role: "image"),
        site.Entity(CatalogTypes.Tags, "2", "Night", role: "image"),
        site.Entity(CatalogTypes.Studios, "7", "Acme", role: "image"),
        site.Entity(CatalogTypes.Scenes, "10", "Alpha", rating: 80, date: "2024-01-05", relations: [Tag("1"), new(CatalogTypes.Studios, "7")]),
        site.Entity(CatalogTypes.Scenes, "11", "Bravo", rating: 40, date: "2024-03-01", relations: [Tag("1"), Tag("2")]),
        site.Entity(CatalogTypes.Scenes, "12", "Charlie", rating: 60, date: "2023-06-01", relations: [Tag("2")]),
        site.Entity(CatalogTypes.Scenes, "13", "Alpha", imageUrl: null));

    private static async Task<JsonElement> JsonAsync(HttpClient client, HttpRequestMessage request, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{request.RequestUri}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static List<string> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];

    [Fact]
    public async Task Browse_SortsFiltersAndCounts_WithImagesAsTesseraUrls()
    {
        await using var site = await CatalogSite.StartAsync();
        await SeedAsync(site);
        var client = site.Host.Client;

        var all = await JsonAsync(client, CatalogSite.Admin(HttpMethod.Get, "/api/catalog/stash/scenes?sort=title&perPage=2"));
        Assert.Equal(4, all.GetProperty("count").GetInt64());
        Assert.Equal(["10", "13"], Ids(all)); // two "Alpha": the tie breaks by id
        var page2 = await JsonAsync(client, CatalogSite.Admin(HttpMethod.Get, "/api/catalog/stash/scenes?sort=title&perPage=2&page=2"));
        Assert.Equal(["11", "12"], Ids(page2));

        var first = all.GetProperty("items")[0];
        Assert.Equal("/i/stash/scene:10/screenshot", first.GetProperty("images").GetProperty("screenshot").GetString());
        Assert.Equal(JsonValueKind.Null, all.GetProperty("items")[1].GetProperty("images").GetProperty("screenshot").ValueKind);
        Assert.Equal(["1"], first.GetProperty("relations").GetProperty("tags").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain(site.Stash.BaseAddress.Authority, all.ToString(), StringComparison.Ordinal);

        var tagged = await JsonAsync(client, CatalogSite.Admin(HttpMethod.Get, "/api/catalog/stash/scenes?tag=1&tag=2"));
        Assert.Equal(["11"], Ids(tagged));
        var rated = await JsonAsync(client, CatalogSite.Admin(HttpMethod.Get, "/api/catalog/stash/scenes?ratingMin=50&sort=rating&dir=desc"));
        Assert.Equal(["10", "12"], Ids(rated));
        var dated = await JsonAsync(client, CatalogSite.Admin(HttpMethod.Get, "/api/catalog/stash/scenes?dateFrom=2024-01-01&dateTo=2024-12-31&sort=date"));
        Assert.Equal(["10", "11"], Ids(dated));
        var searched = await JsonAsync(client, CatalogSite.Admin(HttpMethod.Get, "/api/catalog/stash/scenes?q=charlie"));
        Assert.Equal(["12"], Ids(searched));
    }

    [Theory]
    [InlineData("/api/catalog/stash/scenes?perPage=501")]
    [InlineData("/api/catalog/stash/scenes?perPage=0")]
    [InlineData("/api/catalog/stash/scenes?page=-1")]
    [InlineData("/api/catalog/stash/scenes?sort=password")]
    [InlineData("/api/catalog/stash/scenes?dir=sideways")]
    [InlineData("/api/catalog/stash/scenes?tags=1")]
    [InlineData("/api/catalog/stash/scenes?dateFrom=2024-13-01")]
    [InlineData("/api/catalog/stash/scenes?ratingMax=abc")]
    [InlineData("/api/catalog/stash/scenes?user=a%2Fb")]
    [InlineData("/api/catalog/stash/stats?foo=1")]
    public async Task BadBrowseInput_Is400WithAReason(string url)
    {
        await using var site = await CatalogSite.StartAsync();
        var problem = await JsonAsync(site.Host.Client, CatalogSite.Admin(HttpMethod.Get, url), HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Theory]
    [InlineData("/api/catalog/nope")]
    [InlineData("/api/catalog/nope/scenes")]
    [InlineData("/api/catalog/stash/widgets")]
    [InlineData("/api/catalog/stash/scenes/999")]
    [InlineData("/api/catalog/nope/stats")]
    [InlineData("/api/catalog/nope/users/bob/restrictions")]
    public async Task UnknownCatalogTypeOrId_Is404(string url)
    {
        await using var site = await CatalogSite.StartAsync();
        await JsonAsync(site.Host.Client, CatalogSite.Admin(HttpMethod.Get, url), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PrivateCatalog_NeedsTheAdminKey_PublicOneDoesNot()
    {
        await using (var site = await CatalogSite.StartAsync())
        {
            using var anonymous = await site.Host.Client.GetAsync(new Uri("/api/catalog/stash/scenes", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var unknown = await site.Host.Client.GetAsync(new Uri("/api/catalog/nope", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode); // no catalog name is revealed before the key
        }

        await using (var site = await CatalogSite.StartAsync(isPublic: true))
        {
            using var open = await site.Host.Client.GetAsync(new Uri("/api/catalog/stash/scenes", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
            using var restrictions = await site.Host.Client.GetAsync(new Uri("/api/catalog/stash/users/bob/restrictions", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, restrictions.StatusCode); // changing and reading rules stays admin
        }
    }

    [Fact]
    public async Task Entity_HasRelationsWithTitles_StatusHasCountsPerType()
    {
        await using var site = await CatalogSite.StartAsync();
        await SeedAsync(site);
        var entity = await JsonAsync(site.Host.Client, CatalogSite.Admin(HttpMethod.Get, "/api/catalog/stash/scenes/10"));
        Assert.Equal("Alpha", entity.GetProperty("entity").GetProperty("title").GetString());
        Assert.Equal("Beach", entity.GetProperty("related").GetProperty("tags")[0].GetProperty("title").GetString());
        Assert.Equal("Acme", entity.GetProperty("related").GetProperty("studios")[0].GetProperty("title").GetString());

        var status = await JsonAsync(site.Host.Client, CatalogSite.Admin(HttpMethod.Get, "/api/catalog/stash"));
        var counts = status.GetProperty("types").EnumerateArray().ToDictionary(t => t.GetProperty("type").GetString()!, t => t.GetProperty("count").GetInt64());
        Assert.Equal(4, counts["scenes"]);
        Assert.Equal(2, counts["tags"]);
        Assert.Equal(0, counts["galleries"]);
    }

    [Fact]
    public async Task Restrictions_AreValidated_Stored_AndCascadeIntoBrowsingAndStats()
    {
        await using var site = await CatalogSite.StartAsync();
        await SeedAsync(site);
        var client = site.Host.Client;
        foreach (var bad in new[] { "{", """[{"type":"scenes","mode":"exclude","ids":["1"]}]""", """[{"type":"tags","mode":"hide","ids":["1"]}]""", """[{"type":"tags","mode":"exclude","ids":[]}]""" })
        {
            await JsonAsync(client, CatalogSite.Admin(HttpMethod.Put, "/api/catalog/stash/users/bob/restrictions", bad), HttpStatusCode.BadRequest);
        }

        using (var anonymous = await client.PutAsync(new Uri("/api/catalog/stash/users/bob/restrictions", UriKind.Relative), new StringContent("[]")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        await JsonAsync(client, CatalogSite.Admin(HttpMethod.Put, "/api/catalog/stash/users/bob/restrictions", """[{"type":"tags","mode":"exclude","ids":["2"]}]"""));
        var rules = await JsonAsync(client, CatalogSite.Admin(HttpMethod.Get, "/api/catalog/stash/users/bob/restrictions"));
        Assert.Equal("2", rules.GetProperty("rules")[0].GetProperty("ids")[0].GetString());

        var bob = await JsonAsync(client, CatalogSite.Admin(HttpMethod.Get, "/api/catalog/stash/scenes?user=bob&sort=id"));
        Assert.Equal(["10", "13"], Ids(bob)); // scenes tagged 2 are hidden, and the count matches
        Assert.Equal(2, bob.GetProperty("count").GetInt64());
        Assert.Equal("/i/stash/scene:10/screenshot?user=bob", bob.GetProperty("items")[0].GetProperty("images").GetProperty("screenshot").GetString());
        await JsonAsync(client, CatalogSite.Admin(HttpMethod.Get, "/api/catalog/stash/scenes/11?user=bob"), HttpStatusCode.NotFound);

        var stats = await JsonAsync(client, CatalogSite.Admin(HttpMethod.Get, "/api/catalog/stash/stats?user=bob"));
        Assert.Equal(2, stats.GetProperty("counts").GetProperty("scenes").GetInt64());
        var everyone = await JsonAsync(client, CatalogSite.Admin(HttpMethod.Get, "/api/catalog/stash/stats"));
        Assert.Equal(4, everyone.GetProperty("counts").GetProperty("scenes").GetInt64());
        Assert.Equal(240, everyone.GetProperty("totalDurationSeconds").GetDouble());

        await JsonAsync(client, CatalogSite.Admin(HttpMethod.Put, "/api/catalog/stash/users/bob/restrictions", "[]"));
        var freed = await JsonAsync(client, CatalogSite.Admin(HttpMethod.Get, "/api/catalog/stash/scenes?user=bob"));
        Assert.Equal(4, freed.GetProperty("count").GetInt64());
    }

    // Create, update and destroy through a real upstream: CatalogServeTests.Notify_CreatesUpdatesAndDestroys_ThroughTheStashStandIn.
    [Fact]
    public async Task Notify_RefusesABadTypeActionCatalogOrKey()
    {
        await using var site = await CatalogSite.StartAsync();
        var client = site.Host.Client;
        await JsonAsync(client, CatalogSite.Admin(HttpMethod.Post, "/api/catalog/stash/notify", """{"type":"widget","id":"1","action":"update"}"""), HttpStatusCode.BadRequest);
        await JsonAsync(client, CatalogSite.Admin(HttpMethod.Post, "/api/catalog/stash/notify", """{"type":"scene","id":"1","action":"explode"}"""), HttpStatusCode.BadRequest);
        await JsonAsync(client, CatalogSite.Admin(HttpMethod.Post, "/api/catalog/nope/notify", """{"type":"scene","id":"1","action":"update"}"""), HttpStatusCode.NotFound);
        using var anonymous = await client.PostAsync(new Uri("/api/catalog/stash/notify", UriKind.Relative), new StringContent("{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Sync_CreatesTheCatalogSyncJob_AndRefusesABadModeOrCatalog()
    {
        await using var site = await CatalogSite.StartAsync();
        var job = await JsonAsync(site.Host.Client, CatalogSite.Admin(HttpMethod.Post, "/api/catalog/stash/sync", """{"mode":"full"}"""), HttpStatusCode.Accepted);
        Assert.Equal("catalog-sync", job.GetProperty("kind").GetString());
        Assert.Equal("stash", job.GetProperty("library").GetString());
        await JsonAsync(site.Host.Client, CatalogSite.Admin(HttpMethod.Post, "/api/catalog/stash/sync", """{"mode":"everything"}"""), HttpStatusCode.BadRequest);
        await JsonAsync(site.Host.Client, CatalogSite.Admin(HttpMethod.Post, "/api/catalog/nope/sync", """{"mode":"full"}"""), HttpStatusCode.NotFound);
    }
}
