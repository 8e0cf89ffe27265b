using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Tessera.Core.Catalog;

namespace Tessera.Index.Sqlite;

/// <summary>A user's rules and the rule set they share with every user whose rules are the same (null: no rules).</summary>
internal sealed record CatalogViewer(long? SetId, IReadOnlyList<CatalogRule> Rules)
{
    public static CatalogViewer Anyone { get; } = new(null, []);

    public bool Excludes => Rules.Any(r => r.Mode == "exclude");

    /// <summary>The types with include rules, in a fixed order.</summary>
    public IReadOnlyList<string> Included => [.. CatalogVisibility.RuleTypes.Where(t => Rules.Any(r => r.Mode == "include" && r.Type == t))];
}

/// <summary>Rule sets (<see cref="Migrations.M0007CatalogCounters"/>): users with identical rules share one set, found by
/// the SHA-256 of the normalized rules. A new set gets its rules flattened and its marks filled by one INSERT…SELECT over
/// the junction's reverse index; from then on the relation triggers keep the marks exact. A set no user holds any more
/// is dropped with its marks.</summary>
internal static class SqliteCatalogRuleSets
{
    public static async Task<CatalogViewer> ViewerAsync(SqliteConnection c, string catalog, string? user, CancellationToken cancellationToken)
    {
        if (user is null)
        {
            return CatalogViewer.Anyone;
        }

        var rules = await SqliteCatalogBrowse.RulesAsync(c, catalog, user, cancellationToken).ConfigureAwait(false);
        if (rules.Count == 0)
        {
            return CatalogViewer.Anyone;
        }

        var set = await SetAsync(c, "SELECT set_id FROM catalog_user_sets WHERE catalog = $c AND user_name = $u", cancellationToken, ("$c", catalog), ("$u", user)).ConfigureAwait(false);
        return new CatalogViewer(set, rules);
    }

    /// <summary>Moves the user to the set of <paramref name="rules"/> (made and filled when new) and drops the set left
    /// behind when no one else holds it. Runs inside the rules' write transaction.</summary>
    public static async Task AssignAsync(SqliteConnection c, string catalog, string user, IReadOnlyList<CatalogRule> rules, CancellationToken cancellationToken)
    {
        var old = await SetAsync(c, "SELECT set_id FROM catalog_user_sets WHERE catalog = $c AND user_name = $u", cancellationToken, ("$c", catalog), ("$u", user)).ConfigureAwait(false);
        var flat = rules.SelectMany(r => r.Ids.Select(id => (r.Type, r.Mode, Id: id))).Distinct()
            .OrderBy(r => r.Type, StringComparer.Ordinal).ThenBy(r => r.Mode, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        if (flat.Count == 0)
        {
            await c.ExecuteAsync("DELETE FROM catalog_user_sets WHERE catalog = $c AND user_name = $u", cancellationToken, ("$c", catalog), ("$u", user)).ConfigureAwait(false);
        }
        else
        {
            var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(flat.Select(r => $"{r.Type}\t{r.Mode}\t{r.Id}\n")))));
            var set = await SetAsync(c, "SELECT set_id FROM catalog_rule_sets WHERE catalog = $c AND rules_key = $k", cancellationToken, ("$c", catalog), ("$k", key)).ConfigureAwait(false) ?? await CreateAsync(c, catalog, key, flat, cancellationToken).ConfigureAwait(false);
            await c.ExecuteAsync("""
                INSERT INTO catalog_user_sets(catalog, user_name, set_id) VALUES ($c, $u, $s)
                ON CONFLICT(catalog, user_name) DO UPDATE SET set_id = excluded.set_id
                """, cancellationToken, ("$c", catalog), ("$u", user), ("$s", set)).ConfigureAwait(false);
        }

        if (old is { } dropped && await c.ScalarAsync("SELECT count(*) FROM catalog_user_sets WHERE set_id = $s", cancellationToken, ("$s", dropped)).ConfigureAwait(false) == 0)
        {
            foreach (var table in new[] { "catalog_mark_counts", "catalog_marks", "catalog_marks_live", "catalog_set_rules", "catalog_rule_sets" })
            {
                await c.ExecuteAsync($"DELETE FROM {table} WHERE set_id = $s", cancellationToken, ("$s", dropped)).ConfigureAwait(false);
            }
        }
    }

    private static async Task<long> CreateAsync(SqliteConnection c, string catalog, string key, IReadOnlyList<(string Type, string Mode, string Id)> flat,
        CancellationToken cancellationToken)
    {
        var set = await c.ScalarAsync("INSERT INTO catalog_rule_sets(catalog, rules_key) VALUES ($c, $k) RETURNING set_id", cancellationToken,
            ("$c", catalog), ("$k", key)).ConfigureAwait(false);
        foreach (var (type, mode, id) in flat)
        {
            await c.ExecuteAsync("""
                INSERT INTO catalog_set_rules(catalog, rel_type, rel_id, set_id, mark) VALUES ($c, $t, $id, $s, $m) ON CONFLICT DO NOTHING
                """, cancellationToken, ("$c", catalog), ("$t", type), ("$id", id), ("$s", set), ("$m", Mark(type, mode))).ConfigureAwait(false);
        }

        await c.ExecuteAsync("""
            INSERT INTO catalog_marks(set_id, mark, seq, hits)
            SELECT x.set_id, x.mark, e.seq, count(*) FROM catalog_set_rules x
            JOIN catalog_rel_keys k ON k.catalog = x.catalog AND k.rel_type = x.rel_type AND k.rel_id = x.rel_id
            JOIN catalog_links l ON l.key = k.key
            JOIN catalog_entities e ON e.seq = l.seq AND e.type IN ('scenes', 'galleries')
            WHERE x.set_id = $s GROUP BY x.set_id, x.mark, e.seq
            """, cancellationToken, ("$s", set)).ConfigureAwait(false);
        return set;
    }

    /// <summary>The mark a rule gives the scenes and galleries related to its ids: 'x' (hidden) for any exclude, the
    /// included type for an include.</summary>
    public static string Mark(string type, string mode) => mode == "exclude" ? "x" : type;

    private static async Task<long?> SetAsync(SqliteConnection c, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        (await c.ListAsync(sql, r => r.GetInt64(0), cancellationToken, parameters).ConfigureAwait(false)) is [var set] ? set : null;
}
