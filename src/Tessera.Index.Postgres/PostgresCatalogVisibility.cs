using System.Text;
using Npgsql;
using Tessera.Core.Catalog;

namespace Tessera.Index.Postgres;

/// <summary>A user's rules as SQL over the entities alias <c>e</c>, with SQLite's meaning: excluded tags, studios, groups
/// and performers are hidden, and so is every scene and gallery related to any of them; an include rule of a type shows
/// only the included entities of that type and, for scenes and galleries, only those related to one of them (several
/// included types combine with AND). The rules are read first, so the SQL holds only the probes they need; each probe is
/// a primary-key lookup (an entity's relations, then the user's rule for that relation), and no per-user copy of
/// anything is kept: rules take effect with the statement that puts them.</summary>
internal static class PostgresCatalogVisibility
{
    /// <summary>The rule types, which can be hidden or included.</summary>
    public static IReadOnlyList<string> RuleTypes { get; } = [CatalogTypes.Tags, CatalogTypes.Studios, CatalogTypes.Groups, CatalogTypes.Performers];

    public static bool Cascades(string type) => type is CatalogTypes.Scenes or CatalogTypes.Galleries;

    /// <summary>The predicate (with a leading AND) on <paramref name="alias"/>, an entity of <paramref name="type"/>, as a
    /// user with <paramref name="rules"/> sees it, using the parameter @u (the user); empty when nothing applies.</summary>
    public static string Predicate(string type, IReadOnlyList<CatalogRule> rules, string alias = "e")
    {
        const string Rule = "x.catalog = {0}.catalog AND x.user_name = @u AND x.mode = '{1}'";
        string Own(string mode) =>
            $"SELECT 1 FROM catalog_rules x WHERE {string.Format(System.Globalization.CultureInfo.InvariantCulture, Rule, alias, mode)} AND x.type = {alias}.type AND x.id = {alias}.id";
        string Related(string mode) => $"""
            SELECT 1 FROM catalog_relations r JOIN catalog_rules x ON {string.Format(System.Globalization.CultureInfo.InvariantCulture, Rule, "r", mode)}
                AND x.type = r.rel_type AND x.id = r.rel_id
            WHERE r.catalog = {alias}.catalog AND r.type = {alias}.type AND r.id = {alias}.id
            """;

        var sql = new StringBuilder();
        if (rules.Any(r => r.Mode == "exclude" && r.Type == type))
        {
            sql.Append($" AND NOT EXISTS ({Own("exclude")})");
        }

        if (Cascades(type) && rules.Any(r => r.Mode == "exclude"))
        {
            sql.Append($" AND NOT EXISTS ({Related("exclude")})");
        }

        // Included types come from the known list, so they are written into the SQL as literals.
        foreach (var included in RuleTypes.Where(t => rules.Any(r => r.Mode == "include" && r.Type == t)))
        {
            if (included == type)
            {
                sql.Append($" AND EXISTS ({Own("include")})");
            }
            else if (Cascades(type))
            {
                sql.Append($" AND EXISTS ({Related("include")} AND r.rel_type = '{included}')");
            }
        }

        return sql.ToString();
    }

    /// <summary>A user's rules, by type and mode, ids in order (none for no user).</summary>
    public static async Task<IReadOnlyList<CatalogRule>> RulesAsync(NpgsqlConnection c, string catalog, string? user, CancellationToken cancellationToken) =>
        user is null ? [] : [.. (await c.ListAsync("SELECT type, mode, id FROM catalog_rules WHERE catalog = @c AND user_name = @u ORDER BY type, mode, id",
            r => (Type: r.GetString(0), Mode: r.GetString(1), Id: r.GetString(2)), cancellationToken, ("c", catalog), ("u", user)).ConfigureAwait(false))
            .GroupBy(r => (r.Type, r.Mode)).Select(g => new CatalogRule(g.Key.Type, g.Key.Mode, [.. g.Select(r => r.Id)]))];
}
