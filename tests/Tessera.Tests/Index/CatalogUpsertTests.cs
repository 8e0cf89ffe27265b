using Tessera.Core.Catalog;
using Tessera.Tests.Index.Contracts;

namespace Tessera.Tests.Index;

/// <summary>Page writes: SQLite (<c>SqliteCatalogUpsert</c>) reads what is stored once per page and puts new relations
/// and images in multi-row INSERTs; PostgreSQL (<c>PostgresCatalogUpsert</c>) sends each column as one array. Either
/// way an entity twice in one page and pages with more rows than one INSERT carries must still end exactly as if each
/// entity were written alone, in order.</summary>
public abstract class CatalogUpsertTests<TFixture> : IndexContract<TFixture>
    where TFixture : IIndexFixture, new()
{
    private const string Cat = "stash";

    [Fact]
    public async Task AnEntityTwiceInOnePage_EndsAsItsLastCopy()
    {
        var catalog = Index.Catalog;
        await catalog.UpsertAsync(Cat, [.. new[] { "a", "b", "c" }.Select(Tag)], DateTimeOffset.UnixEpoch, default);
        await catalog.UpsertAsync(Cat, [Scene(1, ["a"], "http://a/1")], DateTimeOffset.UnixEpoch, default);

        var changed = await catalog.UpsertAsync(Cat, [Scene(1, ["a", "b"], "http://a/2"), Scene(2, ["b"], null), Scene(1, ["c"], "http://a/3")],
            DateTimeOffset.UnixEpoch, default);

        var got = await catalog.GetAsync(Cat, CatalogTypes.Scenes, "1", null, default);
        Assert.Equal([new CatalogRelation(CatalogTypes.Tags, "c")], got!.Relations);
        Assert.Equal([new CatalogImage("screenshot", "http://a/3")], got.Images);
        Assert.Equal(["1", "1"], changed.Select(e => e.Id));
        Assert.Equal(["2"], (await catalog.BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Scenes, Tags: ["b"]), default)).Items.Select(e => e.Id));
        Assert.Equal(0, (await catalog.BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Scenes, Tags: ["a"]), default)).Count);
        var stats = await catalog.StatsAsync(Cat, null, default);
        Assert.Equal([("b", 1L), ("c", 1L)], stats.TopTags.Select(t => (t.Id, t.Scenes)).Order());
    }

    [Fact]
    public async Task APageOfManyRelations_IsWrittenWhole_AndWrittenAgain_ChangesNothing()
    {
        var catalog = Index.Catalog;
        var page = Enumerable.Range(1, 777).Select(i => Scene(i, [.. Enumerable.Range(0, i % 5).Select(k => $"{k}")], $"http://a/{i}")).ToList();
        Assert.Empty(await catalog.UpsertAsync(Cat, page, DateTimeOffset.UnixEpoch, default));
        Assert.Empty(await catalog.UpsertAsync(Cat, page, DateTimeOffset.UnixEpoch, default));

        for (var k = 0; k < 4; k++)
        {
            var expected = page.Count(s => s.Relations.Any(r => r.Id == $"{k}"));
            Assert.Equal(expected, (await catalog.BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Scenes, Tags: [$"{k}"]), default)).Count);
        }

        var last = await catalog.GetAsync(Cat, CatalogTypes.Scenes, "777", null, default);
        Assert.Equal([new CatalogImage("screenshot", "http://a/777")], last!.Images);
        Assert.Equal(2, last.Relations.Count);
    }

    private static CatalogEntity Tag(string id) => new(CatalogTypes.Tags, id, $"Tag {id}", null, null, null, null, null, null,
        "2025-01-01T00:00:00Z", DateTimeOffset.UnixEpoch, null, [], [], "{}");

    private static CatalogEntity Scene(int i, string[] tags, string? image) => new(CatalogTypes.Scenes, $"{i}", $"Scene {i}", null, null, null, 10, 100, null,
        "2025-01-01T00:00:00Z", DateTimeOffset.UnixEpoch, null, [.. tags.Select(t => new CatalogRelation(CatalogTypes.Tags, t))],
        image is null ? [] : [new CatalogImage("screenshot", image)], "{}");
}

public sealed class SqliteCatalogUpsertTests : CatalogUpsertTests<SqliteIndexFixture>;

public sealed class PostgresCatalogUpsertTests : CatalogUpsertTests<PostgresIndexFixture>;
