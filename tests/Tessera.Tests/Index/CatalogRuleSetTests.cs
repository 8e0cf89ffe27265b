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

            // Later migrations' columns, tables and triggers: a v7 file has none (the columns first: SQLite checks the
            // whole schema when a column is dropped).
            Scalar(c, "ALTER TABLE renditions DROP COLUMN thumbhash");
            Scalar(c, "ALTER TABLE renditions DROP COLUMN colour");
            foreach (var drop in new[] { "TABLE rendition_libraries", "TABLE catalog_mark_counts", "TRIGGER catalog_marks_count", "TRIGGER catalog_marks_uncount",
                "TRIGGER catalog_entities_mark_liveness", "TRIGGER catalog_entities_mark_forget", "TABLE catalog_rel_keys", "TABLE catalog_links",
                "TRIGGER catalog_relations_link", "TRIGGER catalog_relations_unlink", "TRIGGER catalog_entities_link", "TRIGGER catalog_entities_unlink" })
            {
                Scalar(c, $"DROP {drop}");
            }

            Scalar(c, "CREATE INDEX catalog_relations_reverse ON catalog_relations(catalog, rel_type, rel_id, type, id)"); // M0011 dropped it
            Scalar(c, "PRAGMA user_version = 7");
        }

        Assert.Equal((0, 0), Sets());
        using (var ports = SqliteIndex.Open(Db, NullLogger.Instance))
        {
            using (var c = Connect())
            {
                Assert.Equal(12, Scalar(c, "PRAGMA user_version"));
                Assert.Equal(3, Scalar(c, "SELECT count(*) FROM catalog_user_sets"));
                Assert.Equal(2, Scalar(c, "SELECT count(DISTINCT set_id) FROM catalog_user_sets"));
            }

            Assert.Equal((2, 20), Sets()); // tag 1 marks 10 scenes, once as hidden, once as included
            Assert.Equal(20, (await ports.Catalog.BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Scenes, User: "kid"), default)).Count);
            Assert.Equal(10, (await ports.Catalog.BrowseAsync(new CatalogQuery(Cat, CatalogTypes.Scenes, User: "fan"), default)).Count);
        }
    }

    /// <summary>M0010's counters (marks per related entity) and M0011's links against a count of the rows, after a seeded run of what a
    /// sync and an admin do: scenes re-related, soft-deleted, resurrected and purged; rules set, changed and removed.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task MarkCounts_AgreeWithCountingTheRows_AfterARandomRun(int seed)
    {
        var random = new Random(seed);
        using var ports = SqliteIndex.Open(Db, NullLogger.Instance);
        var catalog = ports.Catalog;
        CatalogEntity Related(int i)
        {
            var relations = Enumerable.Range(0, random.Next(0, 4)).Select(_ => new CatalogRelation(CatalogTypes.Tags, $"{1 + random.Next(6)}"))
                .Append(new CatalogRelation(CatalogTypes.Studios, $"{1 + random.Next(3)}")).Distinct().ToList();
            return Scene(i, "1") with { Relations = relations };
        }

        CatalogRule[] Rules() => [.. new[] { CatalogTypes.Tags, CatalogTypes.Studios }.Where(_ => random.Next(3) > 0)
            .Select(t => new CatalogRule(t, random.Next(2) == 0 ? "exclude" : "include", [$"{1 + random.Next(3)}", $"{1 + random.Next(6)}"]))];

        await catalog.UpsertAsync(Cat, [.. Enumerable.Range(1, 40).Select(Related)], DateTimeOffset.UnixEpoch, default);
        await catalog.PutRulesAsync(Cat, "kid", [new(CatalogTypes.Tags, "exclude", ["1", "2"])], default);
        await catalog.PutRulesAsync(Cat, "fan", [new(CatalogTypes.Studios, "include", ["1"])], default);
        for (var step = 0; step < 60; step++)
        {
            var id = 1 + random.Next(45);
            switch (random.Next(6))
            {
                case 0 or 1:
                    await catalog.UpsertAsync(Cat, [.. Enumerable.Range(0, 1 + random.Next(5)).Select(_ => Related(1 + random.Next(45)))], DateTimeOffset.UnixEpoch, default);
                    break;
                case 2:
                    await catalog.SoftDeleteAsync(Cat, CatalogTypes.Scenes, $"{id}", DateTimeOffset.UnixEpoch, default);
                    break;
                case 3:
                    await catalog.PutRulesAsync(Cat, random.Next(2) == 0 ? "kid" : "fan", Rules(), default);
                    break;
                case 4:
                    using (var c = Connect())
                    {
                        // A purge: the product never deletes rows, but the counters must survive one.
                        Scalar(c, $"DELETE FROM catalog_relations WHERE type = 'scenes' AND id = '{id}'");
                        Scalar(c, $"DELETE FROM catalog_entities WHERE type = 'scenes' AND id = '{id}'");
                    }

                    break;
                default:
                    using (var c = Connect())
                    {
                        Scalar(c, $"DELETE FROM catalog_entities WHERE type = 'scenes' AND id = '{id}'"); // relations left behind
                    }

                    break;
            }
        }

        using var connection = Connect();
        const string Counted = "SELECT set_id || ' ' || mark || ' ' || rel_type || ' ' || rel_id || ' ' || type || ' ' || n FROM catalog_mark_counts WHERE n <> 0 ORDER BY 1";
        const string Recounted = """
            SELECT m.set_id || ' ' || m.mark || ' ' || r.rel_type || ' ' || r.rel_id || ' ' || r.type || ' ' || count(*) FROM catalog_marks m
            JOIN catalog_entities e ON e.seq = m.seq AND e.deleted_at IS NULL
            JOIN catalog_relations r ON r.catalog = e.catalog AND r.type = e.type AND r.id = e.id
            GROUP BY m.set_id, m.mark, r.rel_type, r.rel_id, r.type ORDER BY 1
            """;
        var expected = Strings(connection, Recounted);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Strings(connection, Counted));

        // M0011's integer links are the text junction's rows whose entity exists, no more, no fewer.
        const string Linked = """
            SELECT k.rel_type || ' ' || k.rel_id || ' ' || l.seq FROM catalog_links l JOIN catalog_rel_keys k ON k.key = l.key ORDER BY 1
            """;
        const string Joined = """
            SELECT r.rel_type || ' ' || r.rel_id || ' ' || e.seq FROM catalog_relations r
            JOIN catalog_entities e ON e.catalog = r.catalog AND e.type = r.type AND e.id = r.id ORDER BY 1
            """;
        var joined = Strings(connection, Joined);
        Assert.NotEmpty(joined);
        Assert.Equal(joined, Strings(connection, Linked));
    }

    private static List<string> Strings(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
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
