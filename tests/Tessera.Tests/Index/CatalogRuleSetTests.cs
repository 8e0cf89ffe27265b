using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Catalog;
using Tessera.Index.Sqlite;
using Tessera.Tests.Support;

namespace Tessera.Tests.Index;

/// <summary>SQLite's rule sets (M0007): users with identical rules share one set and its marks; a changed rule set is
/// built anew and the one no user holds any more is dropped with its marks; the counters agree with a count of the rows.</summary>
public sealed class CatalogRuleSetTests : IDisposable
{
    private const string Cat = "stash";
    private readonly TempDir _dir = new();

    private string Db => Path.Combine(_dir.Path, "tessera.db");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task IdenticalRules_ShareOneSet_AndASetNoOneHolds_IsDropped()
    {
        using (var ports = SqliteIndex.Open(Db, NullLogger.Instance))
        {
            var catalog = ports.Catalog;
            await catalog.UpsertAsync(Cat, [.. Enumerable.Range(1, 30).Select(i => Scene(i, i % 3 == 0 ? "1" : "2"))], DateTimeOffset.UnixEpoch, default);
            CatalogRule[] hideOne = [new(CatalogTypes.Tags, "exclude", ["1"])];
            await catalog.PutRulesAsync(Cat, "kid", hideOne, default);
            await catalog.PutRulesAsync(Cat, "other kid", [new(CatalogTypes.Tags, "exclude", ["1", "1"])], default);
            Assert.Equal((1, 10), Sets());

            await catalog.PutRulesAsync(Cat, "kid", [new(CatalogTypes.Tags, "exclude", ["2"])], default);
            Assert.Equal((2, 30), Sets());
            Assert.Equal(10, (await catalog.BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Scenes, User: "kid"), default)).Count);
            Assert.Equal(20, (await catalog.BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Scenes, User: "other kid"), default)).Count);

            await catalog.PutRulesAsync(Cat, "other kid", [], default);
            await catalog.PutRulesAsync(Cat, "kid", [], default);
            Assert.Equal((0, 0), Sets());
            Assert.Equal(30, (await catalog.BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Scenes, User: "kid"), default)).Count);
        }
    }

    [Fact]
    public async Task Counters_AgreeWithCountingTheRows_AfterDeletesAndResurrections()
    {
        using var ports = SqliteIndex.Open(Db, NullLogger.Instance);
        var catalog = ports.Catalog;
        await catalog.UpsertAsync(Cat, [.. Enumerable.Range(1, 20).Select(i => Scene(i, "1"))], DateTimeOffset.UnixEpoch, default);
        await catalog.PutRulesAsync(Cat, "kid", [new(CatalogTypes.Tags, "exclude", ["1"])], default);
        await catalog.SoftDeleteAsync(Cat, CatalogTypes.Scenes, "3", DateTimeOffset.UnixEpoch, default);
        await catalog.UpsertAsync(Cat, [Scene(4, "2"), Scene(21, "1")], DateTimeOffset.UnixEpoch, default);
        await catalog.SoftDeleteAsync(Cat, CatalogTypes.Scenes, "5", DateTimeOffset.UnixEpoch, default);
        await catalog.UpsertAsync(Cat, [Scene(5, "1")], DateTimeOffset.UnixEpoch, default);

        using var c = Connect();
        Assert.Equal(Scalar(c, "SELECT count(*) FROM catalog_entities WHERE deleted_at IS NULL AND type = 'scenes'"),
            Scalar(c, "SELECT n FROM catalog_live WHERE type = 'scenes'"));
        Assert.Equal(Scalar(c, "SELECT count(*) FROM catalog_marks m JOIN catalog_entities e ON e.seq = m.seq WHERE e.deleted_at IS NULL"),
            Scalar(c, "SELECT n FROM catalog_marks_live WHERE mark = 'x' AND type = 'scenes'"));
        Assert.Equal(19, Scalar(c, "SELECT n FROM catalog_marks_live WHERE mark = 'x' AND type = 'scenes'")); // 21 scenes, 3 deleted, 4 untagged
        Assert.Equal(1, (await catalog.BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Scenes, User: "kid"), default)).Count);
    }

    [Fact]
    public async Task RulesSavedBeforeMigration7_GetTheirSets_WhenTheFileOpens()
    {
        using (var ports = SqliteIndex.Open(Db, NullLogger.Instance))
        {
            await ports.Catalog.UpsertAsync(Cat, [.. Enumerable.Range(1, 30).Select(i => Scene(i, i % 3 == 0 ? "1" : "2"))], DateTimeOffset.UnixEpoch, default);
            await ports.Catalog.PutRulesAsync(Cat, "kid", [new(CatalogTypes.Tags, "exclude", ["1"])], default);
            await ports.Catalog.PutRulesAsync(Cat, "other kid", [new(CatalogTypes.Tags, "exclude", ["1"])], default);
            await ports.Catalog.PutRulesAsync(Cat, "fan", [new(CatalogTypes.Tags, "include", ["1"])], default);
        }

        // What a file whose rules were saved before migration 7 looks like after it: rules, no sets.
        using (var c = Connect())
        {
            foreach (var table in new[] { "catalog_marks", "catalog_marks_live", "catalog_set_rules", "catalog_rule_sets", "catalog_user_sets" })
            {
                Scalar(c, $"DELETE FROM {table}");
            }

            Scalar(c, "DROP TABLE rendition_libraries"); // a later migration's table: a v7 file has none
            Scalar(c, "PRAGMA user_version = 7");
        }

        Assert.Equal((0, 0), Sets());
        using (var ports = SqliteIndex.Open(Db, NullLogger.Instance))
        {
            using (var c = Connect())
            {
                Assert.Equal(9, Scalar(c, "PRAGMA user_version"));
                Assert.Equal(3, Scalar(c, "SELECT count(*) FROM catalog_user_sets"));
                Assert.Equal(2, Scalar(c, "SELECT count(DISTINCT set_id) FROM catalog_user_sets"));
            }

            Assert.Equal((2, 20), Sets()); // tag 1 marks 10 scenes, once as hidden, once as included
            Assert.Equal(20, (await ports.Catalog.BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Scenes, User: "kid"), default)).Count);
            Assert.Equal(10, (await ports.Catalog.BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Scenes, User: "fan"), default)).Count);
        }
    }

    private static CatalogEntity Scene(int i, string tag) => new(CatalogTypes.Scenes, $"{i}", $"Scene {i}", null, null, null, 10, 100, null,
        "2025-01-01T00:00:00Z", DateTimeOffset.UnixEpoch, null, [new CatalogRelation(CatalogTypes.Tags, tag)], [], "{}");

    private (long Sets, long Marks) Sets()
    {
        using var c = Connect();
        return (Scalar(c, "SELECT count(*) FROM catalog_rule_sets"), Scalar(c, "SELECT count(*) FROM catalog_marks"));
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Db, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static long Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
