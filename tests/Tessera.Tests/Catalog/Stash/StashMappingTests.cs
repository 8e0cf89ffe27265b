using System.Net;
using System.Text.Json;
using Tessera.Core.Catalog;
using Tessera.Tests.Support.StashStandIn;

namespace Tessera.Tests.Catalog.Stash;

public sealed class StashMappingTests
{
    [Fact]
    public async Task AScene_HasItsColumns_Relations_Screenshot_AndWholeJson()
    {
        await using var standIn = await StashStandIn.StartAsync();
        using var upstream = StashTestKit.Upstream(standIn);
        var source = standIn.Data.All("scenes").First(e => e.Related("groups").Count > 0 && e.Related("galleries").Count > 0);

        var scene = (await upstream.GetAsync(CatalogTypes.Scenes, source.Id.ToString(), CancellationToken.None))!;

        Assert.Equal((source.Title, (int?)source.Fields["rating100"], (double?)source.Fields["duration"], (long?)source.Fields["size"]),
            (scene.Title, scene.Rating, scene.DurationSeconds, scene.SizeBytes));
        Assert.Equal(source.Fields["date"], scene.Date);
        Assert.Equal(source.UpdatedAt, scene.UpdatedAtUtc);
        Assert.EndsWith("+02:00", scene.UpdatedAt, StringComparison.Ordinal);
        Assert.Equal(source.CreatedAt, scene.CreatedAtUtc);
        string[] Ids(string field) => [.. source.Related(field).Select(id => id.ToString())];
        string[] Rel(string type) => [.. scene.Relations.Where(r => r.Type == type).Select(r => r.Id)];
        Assert.Equal(Ids("tags"), Rel(CatalogTypes.Tags));
        Assert.Equal(Ids("performers"), Rel(CatalogTypes.Performers));
        Assert.Equal(Ids("studio"), Rel(CatalogTypes.Studios));
        Assert.Equal(Ids("groups"), Rel(CatalogTypes.Groups));
        Assert.Equal(Ids("galleries"), Rel(CatalogTypes.Galleries));
        var screenshot = Assert.Single(scene.Images);
        Assert.Equal("screenshot", screenshot.Role);
        Assert.StartsWith(new Uri(standIn.BaseAddress, $"scene/{source.Id}/screenshot").AbsoluteUri, screenshot.Url, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(scene.Json);
        Assert.Equal(source.Title, json.RootElement.GetProperty("title").GetString());
        Assert.Equal(source.Related("tags").Count, json.RootElement.GetProperty("tags").GetArrayLength());
    }

    [Fact]
    public async Task OtherTypes_MapTheirRelations_Counts_AndImagesByRole()
    {
        await using var standIn = await StashStandIn.StartAsync();
        using var upstream = StashTestKit.Upstream(standIn);
        async Task<CatalogEntity> Get(string type, long id) => (await upstream.GetAsync(type, id.ToString(), CancellationToken.None))!;

        var studio = standIn.Data.All("studios").First(e => e.Related("parent_studio").Count > 0);
        Assert.Contains(new CatalogRelation(CatalogTypes.Studios, studio.Related("parent_studio")[0].ToString()), (await Get("studios", studio.Id)).Relations);
        var tag = standIn.Data.All("tags").First(e => e.Related("parents").Count > 0);
        var mappedTag = await Get("tags", tag.Id);
        Assert.Equal([new CatalogRelation(CatalogTypes.Tags, tag.Related("parents")[0].ToString())], mappedTag.Relations);
        Assert.Equal((int)tag.Fields["scene_count"]!, mappedTag.Count);
        Assert.Equal(tag.Fields["description"], mappedTag.Details);
        var gallery = standIn.Data.All("galleries").First(e => e.Related("scenes").Count > 0);
        var mappedGallery = await Get("galleries", gallery.Id);
        Assert.Contains(new CatalogRelation(CatalogTypes.Scenes, gallery.Related("scenes")[0].ToString()), mappedGallery.Relations);
        Assert.Equal("cover", Assert.Single(mappedGallery.Images).Role);
        var group = standIn.Data.All("groups").First(e => e.HasImage && e.Id % 2 == 1);
        var images = (await Get("groups", group.Id)).Images;
        Assert.Equal(["front", "back"], images.Select(i => i.Role));
        Assert.NotNull(images[0].Url);
        Assert.Null(images[1].Url); // an odd group has only Stash's default back image
    }

    [Fact]
    public async Task TheDefaultImage_IsNoImage()
    {
        await using var standIn = await StashStandIn.StartAsync();
        using var upstream = StashTestKit.Upstream(standIn);
        var without = standIn.Data.All("performers").First(e => !e.HasImage);
        var with = standIn.Data.All("performers").First(e => e.HasImage);

        var page = await upstream.PageAsync(CatalogTypes.Performers, null, 100, null, CancellationToken.None);

        Assert.Equal(new CatalogImage("image", null), Assert.Single(page.Items.Single(p => p.Id == without.Id.ToString()).Images));
        var image = Assert.Single(page.Items.Single(p => p.Id == with.Id.ToString()).Images);
        Assert.Equal("image", image.Role);
        Assert.DoesNotContain("default", image.Url!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImageUrls_NeedTheKey_ThatAuthorizeAdds()
    {
        await using var standIn = await StashStandIn.StartAsync();
        using var upstream = StashTestKit.Upstream(standIn);
        var scene = (await upstream.PageAsync(CatalogTypes.Scenes, null, 1, null, CancellationToken.None)).Items[0];
        var url = scene.Images[0].Url!;
        using var http = new HttpClient();

        using var authorized = new HttpRequestMessage(HttpMethod.Get, url);
        upstream.Authorize(authorized);
        using var image = await http.SendAsync(authorized);
        using var anonymous = await http.GetAsync(url);

        Assert.Equal((HttpStatusCode.OK, "image/jpeg"), (image.StatusCode, image.Content.Headers.ContentType?.MediaType));
        Assert.Equal("/login", anonymous.RequestMessage!.RequestUri!.AbsolutePath); // Stash sends keyless requests to its login page
    }
}
