using Tessera.Core.Catalog;
using Tessera.Core.Index;

namespace Tessera.Tests.Index.Contracts;

public abstract class CatalogIndexContract<TFixture> : IndexContract<TFixture>
    where TFixture : IIndexFixture, new()
{
    private const string Cat = "stash";
    private static readonly DateTimeOffset T0 = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private ICatalogIndex Catalog => Index.Catalog;

    private static CatalogEntity Entity(string type, string id, string title, string? details = null, int? rating = null, string? date = null,
        double? duration = null, long? size = null, string? image = null, params (string Type, string Id)[] relations) =>
        new(type, id, title, details, date, rating, duration, size, null, "2025-03-04T06:06:07+01:00", T0, T0.AddDays(-1),
            [.. relations.Select(r => new CatalogRelation(r.Type, r.Id))], image is null ? [] : [new CatalogImage("screenshot", image)],
            $"{{\"id\":\"{id}\"}}");

    private static CatalogEntity Scene(string id, string title, params (string Type, string Id)[] relations) =>
        Entity(CatalogTypes.Scenes, id, title, relations: relations);

    private static (string, string) Tag(string id) => (CatalogTypes.Tags, id);

    private static (string, string) Studio(string id) => (CatalogTypes.Studios, id);

    private static (string, string) Performer(string id) => (CatalogTypes.Performers, id);

    private Task<CatalogPage> BrowseAsync(CatalogQuery query) => Catalog.BrowseAsync(query, default);

    private static CatalogQuery Scenes(string? user = null) => new(Cat, CatalogTypes.Scenes, PerPage: 500, User: user);

    private static IEnumerable<string> Ids(CatalogPage page) => page.Items.Select(e => e.Id);

    [Fact]
    public async Task Upsert_RoundTrips_AndTheSamePageTwice_IsTheSameState()
    {
        var scene = Entity(CatalogTypes.Scenes, "7", "Été à Paris", "details", 75, "2024-06-01", 12.5, 12345, "http://stash/scene/7/screenshot",
            Tag("1"), Performer("2"), Tag("1"));
        Assert.Empty(await Catalog.UpsertAsync(Cat, [scene], T0, default));
        Assert.Empty(await Catalog.UpsertAsync(Cat, [scene], T0.AddMinutes(1), default));

        var got = await Catalog.GetAsync(Cat, CatalogTypes.Scenes, "7", null, default);
        Assert.NotNull(got);
        Assert.Equal((scene.Type, scene.Id, scene.Title, scene.Details, scene.Date, scene.Rating, scene.DurationSeconds, scene.SizeBytes, scene.UpdatedAt,
            scene.UpdatedAtUtc, scene.CreatedAtUtc, scene.Json), (got.Type, got.Id, got.Title, got.Details, got.Date, got.Rating, got.DurationSeconds,
            got.SizeBytes, got.UpdatedAt, got.UpdatedAtUtc, got.CreatedAtUtc, got.Json));
        Assert.Equal([new CatalogRelation("performers", "2"), new CatalogRelation("tags", "1")], got.Relations.OrderBy(r => r.Type));
        Assert.Equal([new CatalogImage("screenshot", "http://stash/scene/7/screenshot")], got.Images);
        Assert.Equal(1, await Catalog.CountLiveAsync(Cat, CatalogTypes.Scenes, default));
        Assert.Equal(1, (await BrowseAsync(Scenes() with { Tags = ["1"] })).Count);
        Assert.Null(await Catalog.GetAsync("other", CatalogTypes.Scenes, "7", null, default));
        Assert.Null(await Catalog.GetAsync(Cat, CatalogTypes.Galleries, "7", null, default));
    }

    [Fact]
    public async Task Upsert_ReplacesRelationsAndImages_AndReturnsTheEntitiesWhoseImagesChanged()
    {
        await Catalog.UpsertAsync(Cat, [
            Entity(CatalogTypes.Scenes, "1", "One", image: "http://a/1", relations: [Tag("1")]),
            Entity(CatalogTypes.Scenes, "2", "Two", image: "http://a/2"),
            Entity(CatalogTypes.Scenes, "3", "Three"),
        ], T0, default);

        var changed = await Catalog.UpsertAsync(Cat, [
            Entity(CatalogTypes.Scenes, "1", "One", image: "http://a/1", relations: [Tag("2")]),
            Entity(CatalogTypes.Scenes, "2", "Two", image: "http://a/2?t=2"),
            Entity(CatalogTypes.Scenes, "3", "Three") with { Images = [new CatalogImage("screenshot", null)] },
            Entity(CatalogTypes.Scenes, "4", "Four", image: "http://a/4"),
        ], T0.AddHours(1), default);

        Assert.Equal(["2", "3"], changed.Select(e => e.Id).Order());
        Assert.Equal([new CatalogRelation("tags", "2")], (await Catalog.GetAsync(Cat, CatalogTypes.Scenes, "1", null, default))!.Relations);
        Assert.Empty(Ids(await BrowseAsync(Scenes() with { Tags = ["1"] })));
        Assert.Equal([new CatalogImage("screenshot", null)], (await Catalog.GetAsync(Cat, CatalogTypes.Scenes, "3", null, default))!.Images);
    }

    [Fact]
    public async Task SoftDeleteUnseen_HidesOnlyWhatTheSweepDidNotSee_AndAnEntityThatReappears_ComesBack()
    {
        await Catalog.UpsertAsync(Cat, [Scene("1", "One"), Scene("2", "Two"), Scene("3", "Three")], T0, default);
        await Catalog.UpsertAsync(Cat, [Entity(CatalogTypes.Tags, "1", "Tag")], T0, default);
        var sweep = T0.AddHours(1);
        await Catalog.UpsertAsync(Cat, [Scene("1", "One"), Scene("3", "Three")], sweep, default);

        Assert.Equal(["2"], await Catalog.SoftDeleteUnseenAsync(Cat, CatalogTypes.Scenes, sweep, sweep.AddMinutes(1), default));
        Assert.Empty(await Catalog.SoftDeleteUnseenAsync(Cat, CatalogTypes.Scenes, sweep, sweep.AddMinutes(1), default));
        Assert.Equal(2, await Catalog.CountLiveAsync(Cat, CatalogTypes.Scenes, default));
        Assert.Equal(1, await Catalog.CountLiveAsync(Cat, CatalogTypes.Tags, default)); // another type is untouched
        Assert.Null(await Catalog.GetAsync(Cat, CatalogTypes.Scenes, "2", null, default));
        Assert.Equal(["1", "3"], Ids(await BrowseAsync(Scenes() with { Sort = "id" })));
        Assert.Equal(0, (await BrowseAsync(Scenes() with { Text = "Two" })).Count);

        await Catalog.UpsertAsync(Cat, [Scene("2", "Two")], sweep.AddHours(1), default);
        Assert.NotNull(await Catalog.GetAsync(Cat, CatalogTypes.Scenes, "2", null, default));
        Assert.Equal(3, await Catalog.CountLiveAsync(Cat, CatalogTypes.Scenes, default));
        Assert.Equal(["2"], Ids(await BrowseAsync(Scenes() with { Text = "Two" })));
    }

    [Fact]
    public async Task Upsert_OfTextWithANulCharacter_IsStoredAndFound()
    {
        Assert.Empty(await Catalog.UpsertAsync(Cat, [Scene("1", "Nul\0title") with { Details = "a\0b", Json = "{\"t\":\"\0\"}" }], T0, default));
        Assert.NotNull(await Catalog.GetAsync(Cat, CatalogTypes.Scenes, "1", null, default));
        Assert.Equal(["1"], Ids(await BrowseAsync(Scenes() with { Text = "nul" })));
    }

    [Fact]
    public async Task SoftDelete_OfOne_IsTrueOnlyWhileLive()
    {
        await Catalog.UpsertAsync(Cat, [Scene("1", "One")], T0, default);
        Assert.True(await Catalog.SoftDeleteAsync(Cat, CatalogTypes.Scenes, "1", T0, default));
        Assert.False(await Catalog.SoftDeleteAsync(Cat, CatalogTypes.Scenes, "1", T0, default));
        Assert.False(await Catalog.SoftDeleteAsync(Cat, CatalogTypes.Scenes, "nope", T0, default));
        Assert.Equal(0, await Catalog.CountLiveAsync(Cat, CatalogTypes.Scenes, default));
    }

    [Fact]
    public async Task Watermarks_ArePerCatalogAndType()
    {
        Assert.Null(await Catalog.GetWatermarkAsync(Cat, CatalogTypes.Scenes, default));
        var scenes = new CatalogWatermark(Cat, CatalogTypes.Scenes, T0, T0.AddDays(-1), T0.AddMinutes(5), "ok: 12 changed");
        await Catalog.PutWatermarkAsync(scenes, default);
        await Catalog.PutWatermarkAsync(new CatalogWatermark(Cat, CatalogTypes.Performers, null, null, T0, "skipped: count mismatch"), default);
        Assert.Equal(scenes, await Catalog.GetWatermarkAsync(Cat, CatalogTypes.Scenes, default));
        Assert.Equal(new CatalogWatermark(Cat, CatalogTypes.Performers, null, null, T0, "skipped: count mismatch"),
            await Catalog.GetWatermarkAsync(Cat, CatalogTypes.Performers, default));
        Assert.Null(await Catalog.GetWatermarkAsync("other", CatalogTypes.Scenes, default));

        var next = scenes with { UpdatedSince = T0.AddHours(1), LastResult = null };
        await Catalog.PutWatermarkAsync(next, default);
        Assert.Equal(next, await Catalog.GetWatermarkAsync(Cat, CatalogTypes.Scenes, default));
    }

    [Theory]
    [InlineData("title", false)]
    [InlineData("title", true)]
    [InlineData("rating", true)]
    [InlineData("date", false)]
    public async Task Browse_PagesThroughManyEqualValues_WithoutSkipsOrRepeats(string sort, bool descending)
    {
        // 3 distinct titles, ratings and dates over 95 scenes: nearly everything ties.
        await Catalog.UpsertAsync(Cat, [.. Enumerable.Range(0, 95).Select(i => Entity(CatalogTypes.Scenes, $"{i}", $"Same {i % 3}", rating: i % 3 * 10,
            date: i % 2 == 0 ? "2024-01-01" : null))], T0, default);
        var seen = new List<string>();
        for (var page = 1; page <= 10; page++)
        {
            var result = await BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Scenes, page, 10, sort, descending));
            Assert.Equal(95, result.Count);
            seen.AddRange(Ids(result));
        }

        Assert.Equal(95, seen.Count);
        Assert.Equal(95, seen.Distinct().Count());
        var all = Ids(await BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Scenes, 1, 500, sort, descending))).ToList();
        Assert.Equal(all, seen);
    }

    [Fact]
    public async Task Browse_SortsByTheColumnAskedFor_ThenById()
    {
        await SeedAsync();
        Assert.Equal(["s1", "s2", "s4", "s3"], Ids(await BrowseAsync(Scenes())));
        // A missing value sorts as the smallest.
        Assert.Equal(["s1", "s3", "s2", "s4"], Ids(await BrowseAsync(Scenes() with { Sort = "rating", Descending = true })));
        Assert.Equal(["s4", "s3", "s2", "s1"], Ids(await BrowseAsync(Scenes() with { Sort = "size", Descending = true })));
        Assert.Equal(["s2", "s1"], Ids(await BrowseAsync(Scenes() with { Sort = "duration", Page = 2, PerPage = 2, Descending = true })));
        Assert.Empty(Ids(await BrowseAsync(Scenes() with { Page = 9, PerPage = 2 })));
        await Assert.ThrowsAsync<ArgumentException>(() => BrowseAsync(Scenes() with { Sort = "json; DROP TABLE x" }));
        await Assert.ThrowsAsync<ArgumentException>(() => BrowseAsync(Scenes() with { Type = "users" }));
    }

    [Fact]
    public async Task Browse_Filters_CombineWithAnd_AndTheCountMatchesTheItems()
    {
        await SeedAsync();
        Assert.Equal(["s1", "s3"], Ids(await BrowseAsync(Scenes() with { Sort = "id", Tags = ["1"] })));
        Assert.Equal(["s3"], Ids(await BrowseAsync(Scenes() with { Sort = "id", Tags = ["1", "2"] })));
        Assert.Equal(["s1"], Ids(await BrowseAsync(Scenes() with { Sort = "id", Tags = ["1"], Studios = ["1"] })));
        Assert.Empty(Ids(await BrowseAsync(Scenes() with { Tags = ["1"], Performers = ["1"], Studios = ["2"] })));
        Assert.Equal(["g1"], Ids(await BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Galleries, Tags: ["1"]))));
        Assert.Equal(["s1", "s3"], Ids(await BrowseAsync(Scenes() with { Sort = "id", MinRating = 50 })));
        Assert.Equal(["s2", "s3"], Ids(await BrowseAsync(Scenes() with { Sort = "id", MinRating = 40, MaxRating = 60 })));
        Assert.Equal(["s2", "s3"], Ids(await BrowseAsync(Scenes() with { Sort = "id", DateFrom = "2024-02-01", DateTo = "2024-12-31" })));
        var page = await BrowseAsync(Scenes() with { Tags = ["2"], PerPage = 1 });
        Assert.Equal(2, page.Count);
        Assert.Single(page.Items);
        Assert.Equal(0, (await BrowseAsync(Scenes() with { Tags = ["nope"] })).Count);
    }

    [Theory]
    [InlineData("Beyonce", "Beyoncé Live")]
    [InlineData("beyoncé", "Beyonce Live")]
    [InlineData("BEYON", "Beyoncé Live")]
    [InlineData("live beyon", "Beyoncé Live")]
    [InlineData("crème", "The Creme details")]
    public async Task Search_IsAccentAndCaseInsensitive_WithThePrefixOfTheLastTerm(string text, string found)
    {
        await Catalog.UpsertAsync(Cat, [
            Scene("1", found.StartsWith("The", StringComparison.Ordinal) ? "Untitled" : found) with { Details = found.StartsWith("The", StringComparison.Ordinal) ? found : null },
            Scene("2", "Something else"),
        ], T0, default);
        var page = await BrowseAsync(Scenes() with { Text = text });
        Assert.Equal(["1"], Ids(page));
        Assert.Equal(1, page.Count);
    }

    [Theory]
    [InlineData("AND OR NOT \" * ( )")]
    [InlineData("\"unterminated")]
    [InlineData("NEAR(a b)")]
    [InlineData("title:x OR -y ^z")]
    [InlineData("* ")]
    [InlineData("a\"b")]
    [InlineData("'; DROP TABLE catalog_entities; --")]
    public async Task Search_WithHostileText_NeverFails(string text)
    {
        await SeedAsync();
        var page = await BrowseAsync(Scenes() with { Text = text });
        Assert.Equal(page.Items.Count, page.Count);
        Assert.Equal(4, await Catalog.CountLiveAsync(Cat, CatalogTypes.Scenes, default));
    }

    [Fact]
    public async Task Search_FollowsTitleChanges_AndStaysWithinTheCatalogAndType()
    {
        await SeedAsync();
        await Catalog.UpsertAsync("other", [Scene("s9", "Alpha elsewhere")], T0, default);
        Assert.Equal(["s1"], Ids(await BrowseAsync(Scenes() with { Text = "alpha" })));
        await Catalog.UpsertAsync(Cat, [Scene("s1", "Omega")], T0, default);
        Assert.Empty(Ids(await BrowseAsync(Scenes() with { Text = "alpha" })));
        Assert.Equal(["s1"], Ids(await BrowseAsync(Scenes() with { Text = "omeg" })));
        Assert.Empty(Ids(await BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Tags, Text: "omega"))));
    }

    [Fact]
    public async Task Exclusions_HideTheEntities_AndEverySceneAndGalleryRelatedToThem_WithMatchingCounts()
    {
        await SeedAsync();
        await Catalog.PutRulesAsync(Cat, "kid", [new CatalogRule("tags", "exclude", ["1"]), new CatalogRule("performers", "exclude", ["9"])], default);

        var scenes = await BrowseAsync(Scenes("kid") with { Sort = "id" });
        Assert.Equal(["s2", "s4"], Ids(scenes));
        Assert.Equal(2, scenes.Count);
        Assert.Equal(["g2"], Ids(await BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Galleries, User: "kid"))));
        var tags = await BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Tags, Sort: "id", User: "kid"));
        Assert.Equal(2, tags.Count);
        Assert.Equal(["2", "3"], Ids(tags));
        Assert.Equal(2, (await BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Studios, User: "kid"))).Count);
        Assert.Null(await Catalog.GetAsync(Cat, CatalogTypes.Scenes, "s1", "kid", default));
        Assert.Null(await Catalog.GetAsync(Cat, CatalogTypes.Tags, "1", "kid", default));
        Assert.NotNull(await Catalog.GetAsync(Cat, CatalogTypes.Scenes, "s2", "kid", default));
        Assert.Equal(["s2"], Ids(await BrowseAsync(Scenes("kid") with { Tags = ["2"] })));
        Assert.Empty(Ids(await BrowseAsync(Scenes("kid") with { Text = "alpha" })));

        // Other users, and no user, see everything.
        Assert.Equal(4, (await BrowseAsync(Scenes("adult"))).Count);
        Assert.Equal(4, (await BrowseAsync(Scenes())).Count);
        Assert.NotNull(await Catalog.GetAsync(Cat, CatalogTypes.Scenes, "s1", null, default));
    }

    [Fact]
    public async Task Inclusions_ShowOnlyTheIncluded_AndTheScenesRelatedToThem_AndSeveralTypesCombineWithAnd()
    {
        await SeedAsync();
        await Catalog.PutRulesAsync(Cat, "u", [new CatalogRule("studios", "include", ["1"])], default);
        Assert.Equal(["s1", "s2"], Ids(await BrowseAsync(Scenes("u") with { Sort = "id" })));
        Assert.Equal(["1"], Ids(await BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Studios, User: "u"))));
        Assert.Equal(3, (await BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Tags, User: "u"))).Count); // another type is not limited
        Assert.Empty(Ids(await BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Galleries, User: "u")))); // no gallery has a studio

        await Catalog.PutRulesAsync(Cat, "u", [new CatalogRule("studios", "include", ["1", "2"]), new CatalogRule("tags", "include", ["2"]),
            new CatalogRule("performers", "exclude", ["2"])], default);
        var page = await BrowseAsync(Scenes("u") with { Sort = "id" });
        Assert.Equal(1, page.Count);
        Assert.Equal(["s2"], Ids(page));
    }

    [Fact]
    public async Task Rules_RoundTrip_AnEmptyListRemovesThem_AndUnknownRulesAreRefused()
    {
        await Catalog.PutRulesAsync(Cat, "u", [new CatalogRule("tags", "exclude", ["12", "3", "3"]), new CatalogRule("studios", "include", ["3"])], default);
        var rules = await Catalog.GetRulesAsync(Cat, "u", default);
        Assert.Equal([("studios", "include", "3"), ("tags", "exclude", "12,3")], rules.Select(r => (r.Type, r.Mode, string.Join(",", r.Ids))));
        Assert.Empty(await Catalog.GetRulesAsync(Cat, "v", default));
        Assert.Empty(await Catalog.GetRulesAsync("other", "u", default));

        await Catalog.PutRulesAsync(Cat, "u", [], default);
        Assert.Empty(await Catalog.GetRulesAsync(Cat, "u", default));
        await Assert.ThrowsAsync<ArgumentException>(() => Catalog.PutRulesAsync(Cat, "u", [new CatalogRule("scenes", "exclude", ["1"])], default));
        await Assert.ThrowsAsync<ArgumentException>(() => Catalog.PutRulesAsync(Cat, "u", [new CatalogRule("tags", "hide", ["1"])], default));
    }

    [Fact]
    public async Task Stats_CountTopAndTotal_OverLiveEntities_AsTheUserSeesThem()
    {
        await SeedAsync();
        await Catalog.SoftDeleteAsync(Cat, CatalogTypes.Scenes, "s4", T0, default);
        var stats = await Catalog.StatsAsync(Cat, null, default);
        Assert.Equal(new Dictionary<string, long> { ["scenes"] = 3, ["performers"] = 2, ["studios"] = 2, ["tags"] = 3, ["groups"] = 0, ["galleries"] = 2 },
            stats.Counts);
        Assert.Equal([new CatalogTop("1", "Red", 2), new CatalogTop("2", "Blue", 2)], stats.TopTags);
        Assert.Equal([new CatalogTop("1", "North", 2), new CatalogTop("2", "South", 1)], stats.TopStudios);
        Assert.Equal([new CatalogTop("1", "Ann", 1), new CatalogTop("2", "Bob", 1)], stats.TopPerformers);
        Assert.Equal((600d, 6000L), (stats.TotalDurationSeconds, stats.TotalSizeBytes));

        await Catalog.PutRulesAsync(Cat, "kid", [new CatalogRule("tags", "exclude", ["1"])], default);
        var kid = await Catalog.StatsAsync(Cat, "kid", default);
        Assert.Equal((1L, 2L, 1L), (kid.Counts["scenes"], kid.Counts["tags"], kid.Counts["galleries"]));
        Assert.Equal([new CatalogTop("2", "Blue", 1)], kid.TopTags);
        Assert.Equal([new CatalogTop("1", "North", 1)], kid.TopStudios);
        Assert.Empty(kid.TopPerformers);
        Assert.Equal((200d, 2000L), (kid.TotalDurationSeconds, kid.TotalSizeBytes));
    }

    /// <summary>Tags 1–3, studio 1–2, performers 1–2 and scenes: s1 (tag 1, studio 1, performer 1), s2 (tag 2, studio 1),
    /// s3 (tags 1 and 2, studio 2, performer 2), s4 (nothing); gallery g1 (tag 1), g2 (tag 3).</summary>
    private async Task SeedAsync()
    {
        await Catalog.UpsertAsync(Cat, [
            Entity(CatalogTypes.Tags, "1", "Red"), Entity(CatalogTypes.Tags, "2", "Blue"), Entity(CatalogTypes.Tags, "3", "Green"),
            Entity(CatalogTypes.Studios, "1", "North"), Entity(CatalogTypes.Studios, "2", "South"),
            Entity(CatalogTypes.Performers, "1", "Ann"), Entity(CatalogTypes.Performers, "2", "Bob"),
        ], T0, default);
        await Catalog.UpsertAsync(Cat, [
            Entity(CatalogTypes.Scenes, "s1", "Alpha", rating: 80, date: "2024-01-05", duration: 100, size: 1000, relations: [Tag("1"), Studio("1"), Performer("1")]),
            Entity(CatalogTypes.Scenes, "s2", "Beta", rating: 40, date: "2024-02-05", duration: 200, size: 2000, relations: [Tag("2"), Studio("1")]),
            Entity(CatalogTypes.Scenes, "s3", "Gamma", rating: 60, date: "2024-03-05", duration: 300, size: 3000, relations: [Tag("1"), Tag("2"), Studio("2"), Performer("2")]),
            Entity(CatalogTypes.Scenes, "s4", "Delta", rating: null, date: null, duration: 400, size: 4000),
            Entity(CatalogTypes.Galleries, "g1", "Gallery one", relations: [Tag("1")]),
            Entity(CatalogTypes.Galleries, "g2", "Gallery two", relations: [Tag("3")]),
        ], T0, default);
    }
}
