using System.Globalization;
using Tessera.Core.Catalog;
using Tessera.Core.Index;

namespace Tessera.Tests.Index.Contracts;

/// <summary>The catalog's counts, pages and stats against a naive reference computed in memory from the same random
/// data, after inserts, relation changes, soft deletes, resurrections and rule changes (users sharing identical rules,
/// users whose rules change): whatever an index keeps to be fast (counters, rule sets, marks) must never show.</summary>
public abstract class CatalogIndexReferenceContract<TFixture> : IndexContract<TFixture>
    where TFixture : IIndexFixture, new()
{
    private const string Cat = "stash";
    private static readonly DateTimeOffset T0 = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private static readonly string[] Words = ["alpha", "beta", "gamma", "delta", "alps", "betty", "gam", "omega"];

    private readonly Random _random = new(11);
    private readonly Dictionary<(string Type, string Id), CatalogEntity> _entities = [];
    private readonly HashSet<(string Type, string Id)> _live = [];
    private readonly Dictionary<string, IReadOnlyList<CatalogRule>> _rules = new(StringComparer.Ordinal);
    private DateTimeOffset _now = T0;

    private ICatalogIndex Catalog => Index.Catalog;

    [Fact]
    public async Task CountsPagesAndStats_MatchANaiveReference_ThroughChanges()
    {
        await UpsertAsync([.. Enumerable.Range(1, 12).Select(i => Other(CatalogTypes.Tags, i)), .. Enumerable.Range(1, 4).Select(i => Other(CatalogTypes.Studios, i)),
            .. Enumerable.Range(1, 60).Select(i => Other(CatalogTypes.Performers, i)), .. Enumerable.Range(1, 3).Select(i => Other(CatalogTypes.Groups, i))]);
        await UpsertAsync([.. Enumerable.Range(1, 240).Select(i => Scene(CatalogTypes.Scenes, i))]);
        await UpsertAsync([.. Enumerable.Range(1, 40).Select(i => Scene(CatalogTypes.Galleries, i))]);
        await PutRulesAsync("a", [Rule(CatalogTypes.Tags, "exclude", 1, 2), Rule(CatalogTypes.Studios, "exclude", 1)]);
        await PutRulesAsync("b", [Rule(CatalogTypes.Studios, "exclude", 1), Rule(CatalogTypes.Tags, "exclude", 2, 1, 2)]); // the same rules as a
        await PutRulesAsync("c", [Rule(CatalogTypes.Studios, "include", 1, 2)]);
        await PutRulesAsync("d", [Rule(CatalogTypes.Tags, "include", 3, 4, 5), Rule(CatalogTypes.Performers, "include", 1, 2, 3, 4), Rule(CatalogTypes.Tags, "exclude", 6)]);
        await PutRulesAsync("e", [Rule(CatalogTypes.Groups, "exclude", 1), Rule(CatalogTypes.Performers, "exclude", 2)]);
        await CheckAsync();

        for (var round = 0; round < 3; round++)
        {
            _now = _now.AddHours(1);
            // Relations change on some scenes, others are deleted, some deleted ones come back, a tag is deleted.
            await UpsertAsync([.. Enumerable.Range(0, 50).Select(_ => Scene(CatalogTypes.Scenes, 1 + _random.Next(240)))]);
            foreach (var id in Enumerable.Range(0, 25).Select(_ => 1 + _random.Next(240)).Distinct())
            {
                Assert.Equal(_live.Remove((CatalogTypes.Scenes, Id(id))), await Catalog.SoftDeleteAsync(Cat, CatalogTypes.Scenes, Id(id), _now, default));
            }

            await UpsertAsync([.. _entities.Keys.Where(k => k.Type == CatalogTypes.Scenes && !_live.Contains(k)).Take(8).Select(k => _entities[k])]);
            Assert.Equal(_live.Remove((CatalogTypes.Tags, Id(7 + round))), await Catalog.SoftDeleteAsync(Cat, CatalogTypes.Tags, Id(7 + round), _now, default));
            await CheckAsync();

            await PutRulesAsync("b", [Rule(CatalogTypes.Tags, "exclude", round + 3)]);
            await PutRulesAsync("e", round == 1 ? [] : [Rule(CatalogTypes.Tags, "include", 1, round + 2), Rule(CatalogTypes.Studios, "exclude", 2)]);
            await PutRulesAsync("a", [Rule(CatalogTypes.Tags, "exclude", 1, 2), Rule(CatalogTypes.Studios, "exclude", 1)]); // put again, unchanged
            await CheckAsync();
        }
    }

    private static string Id(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static CatalogRule Rule(string type, string mode, params int[] ids) => new(type, mode, [.. ids.Select(Id)]);

    private CatalogEntity Other(string type, int i) => new(type, Id(i), $"{Words[_random.Next(Words.Length)]} {i}", null, null, null, null, null,
        _random.Next(50), "2025-03-04T06:06:07+01:00", T0, null, [], [], "{}");

    private CatalogEntity Scene(string type, int i)
    {
        var relations = new List<CatalogRelation> { new(CatalogTypes.Studios, Id(1 + _random.Next(4))) };
        relations.AddRange(Enumerable.Range(0, _random.Next(0, 4)).Select(_ => new CatalogRelation(CatalogTypes.Tags, Id(1 + (int)(12 * Math.Pow(_random.NextDouble(), 2))))));
        relations.AddRange(Enumerable.Range(0, _random.Next(0, 3)).Select(_ => new CatalogRelation(CatalogTypes.Performers, Id(1 + _random.Next(60)))));
        relations.AddRange(Enumerable.Range(0, _random.Next(0, 2)).Select(_ => new CatalogRelation(CatalogTypes.Groups, Id(1 + _random.Next(3)))));
        return new CatalogEntity(type, Id(i), $"{Words[_random.Next(Words.Length)]} {Words[_random.Next(Words.Length)]}", null, null,
            _random.Next(4) == 0 ? null : _random.Next(6) * 20, _random.Next(5) * 60.0, _random.Next(1000), null, "2025-03-04T06:06:07+01:00", T0, null,
            [.. relations.Distinct()], [], "{}");
    }

    private async Task UpsertAsync(IReadOnlyList<CatalogEntity> entities)
    {
        await Catalog.UpsertAsync(Cat, entities, _now, default);
        foreach (var e in entities)
        {
            _entities[(e.Type, e.Id)] = e;
            _live.Add((e.Type, e.Id));
        }
    }

    private async Task PutRulesAsync(string user, IReadOnlyList<CatalogRule> rules)
    {
        await Catalog.PutRulesAsync(Cat, user, rules, default);
        _rules[user] = rules;
    }

    private bool Visible(CatalogEntity e, string? user)
    {
        var rules = user is null ? [] : _rules[user];
        bool Has(string type, string mode, string id) => rules.Any(r => r.Type == type && r.Mode == mode && r.Ids.Contains(id));
        var cascades = e.Type is CatalogTypes.Scenes or CatalogTypes.Galleries;
        if (Has(e.Type, "exclude", e.Id) || (cascades && e.Relations.Any(r => Has(r.Type, "exclude", r.Id))))
        {
            return false;
        }

        foreach (var included in rules.Where(r => r.Mode == "include" && r.Ids.Count > 0).Select(r => r.Type).Distinct())
        {
            if (included == e.Type ? !Has(e.Type, "include", e.Id) : cascades && !e.Relations.Any(r => r.Type == included && Has(included, "include", r.Id)))
            {
                return false;
            }
        }

        return true;
    }

    private List<CatalogEntity> Expected(string type, string? user, string sort, bool descending, Func<CatalogEntity, bool>? filter = null)
    {
        var seen = _live.Where(k => k.Type == type).Select(k => _entities[k]).Where(e => Visible(e, user) && (filter?.Invoke(e) ?? true));
        IComparer<CatalogEntity> order = Comparer<CatalogEntity>.Create((a, b) =>
        {
            var c = sort switch
            {
                "rating" => Nullable.Compare(a.Rating, b.Rating),
                "title" => string.CompareOrdinal(a.Title.ToLowerInvariant(), b.Title.ToLowerInvariant()),
                _ => 0,
            };
            c = c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
            return descending ? -c : c;
        });
        return [.. seen.Order(order)];
    }

    private async Task CheckAsync()
    {
        foreach (var user in new string?[] { null, "a", "b", "c", "d", "e" })
        {
            foreach (var type in new[] { CatalogTypes.Scenes, CatalogTypes.Galleries, CatalogTypes.Tags })
            {
                foreach (var (sort, descending) in new[] { ("id", false), ("rating", true), ("title", false) })
                {
                    var expected = Expected(type, user, sort, descending);
                    var pages = (expected.Count + 16) / 17;
                    foreach (var page in new[] { 1, 2, pages, pages + 1 }.Where(p => p >= 1).Distinct())
                    {
                        var got = await Catalog.BrowseAsync(new CatalogQuery(Cat, type, page, 17, sort, descending, User: user), default);
                        Assert.Equal(expected.Count, got.Count);
                        Assert.Equal(expected.Skip((page - 1) * 17).Take(17).Select(e => e.Id), got.Items.Select(e => e.Id));
                    }
                }

                // Relation filters, alone and combined, popular (tag 1) and rare, on early and late pages: each is counted
                // from counters or rows and paged by walking or by driving a set, whichever is cheaper — never a difference.
                (string[] Tags, string[] Studios, string? Text)[] filters =
                    [(["3"], [], null), (["1"], [], null), (["12"], [], null), (["999"], [], null), (["1", "2"], [], null), (["1"], ["2"], null), ([], ["1"], null), (["1"], [], "alp")];
                foreach (var (tags, studios, text) in filters)
                {
                    var expectedFiltered = Expected(type, user, "id", false, e => tags.All(t => e.Relations.Contains(new CatalogRelation(CatalogTypes.Tags, t)))
                        && studios.All(t => e.Relations.Contains(new CatalogRelation(CatalogTypes.Studios, t)))
                        && (text is null || e.Title.Split(' ').Any(w => w.StartsWith(text, StringComparison.Ordinal))));
                    foreach (var page in new[] { 1, 2, 6 })
                    {
                        var filtered = await Catalog.BrowseAsync(new CatalogQuery(Cat, type, page, 5, "id", Tags: tags, Studios: studios, Text: text, User: user), default);
                        Assert.Equal(expectedFiltered.Count, filtered.Count);
                        Assert.Equal(expectedFiltered.Skip((page - 1) * 5).Take(5).Select(e => e.Id), filtered.Items.Select(e => e.Id));
                    }
                }

                var found = await Catalog.BrowseAsync(new CatalogQuery(Cat, type, 1, 500, "id", Text: "alp", User: user), default);
                Assert.Equal(Expected(type, user, "id", false, e => e.Title.Split(' ').Any(w => w.StartsWith("alp", StringComparison.Ordinal))).Select(e => e.Id),
                    found.Items.Select(e => e.Id));
            }

            await CheckStatsAsync(user);
        }
    }

    private async Task CheckStatsAsync(string? user)
    {
        var stats = await Catalog.StatsAsync(Cat, user, default);
        foreach (var type in CatalogTypes.All)
        {
            Assert.Equal(Expected(type, user, "id", false).Count, stats.Counts[type]);
        }

        var scenes = Expected(CatalogTypes.Scenes, user, "id", false);
        Assert.Equal(scenes.Sum(e => e.DurationSeconds ?? 0), stats.TotalDurationSeconds, 3);
        Assert.Equal(scenes.Sum(e => e.SizeBytes ?? 0), stats.TotalSizeBytes);
        IEnumerable<(string, long)> Top(string relType) => Expected(relType, user, "id", false)
            .Select(o => (o.Id, (long)scenes.Count(s => s.Relations.Contains(new CatalogRelation(relType, o.Id)))))
            .Where(t => t.Item2 > 0).OrderByDescending(t => t.Item2).ThenBy(t => t.Id, StringComparer.Ordinal).Take(10);
        Assert.Equal(Top(CatalogTypes.Tags), stats.TopTags.Select(t => (t.Id, t.Scenes)));
        Assert.Equal(Top(CatalogTypes.Studios), stats.TopStudios.Select(t => (t.Id, t.Scenes)));
        Assert.Equal(Top(CatalogTypes.Performers), stats.TopPerformers.Select(t => (t.Id, t.Scenes)));
    }
}
