using Tessera.Core.Catalog;

namespace Tessera.Index.Sqlite;

/// <summary>A user's rules as SQL over the entities alias <c>e</c> of one type: excluded tags, studios, groups and
/// performers are hidden, and so is every scene and gallery related to any of them; an include rule of a type shows
/// only the included entities of that type and, for scenes and galleries, only those related to one of them (several
/// included types combine with AND). For scenes and galleries the rules are the user's rule set's marks
/// (<see cref="Migrations.M0007CatalogCounters"/>), probed by the row's seq through their primary key: per row one
/// indexed lookup, never a per-request rebuild of the hidden set, and no per-user copy exists. Rules written before
/// rule sets existed get their set when the file is migrated (M0008); a user without a set would fall back to subqueries
/// over the rules and the junction.</summary>
internal static class CatalogVisibility
{
    /// <summary>The rule types, which can be hidden or included.</summary>
    public static IReadOnlyList<string> RuleTypes { get; } = [CatalogTypes.Tags, CatalogTypes.Studios, CatalogTypes.Groups, CatalogTypes.Performers];

    public static bool Cascades(string type) => type is CatalogTypes.Scenes or CatalogTypes.Galleries;

    /// <summary>The predicate (with a leading AND) on the entities alias <paramref name="alias"/> of <paramref name="type"/>
    /// as <paramref name="viewer"/> sees it, using the parameters $c (catalog), $u (user), $s (the rule set) and
    /// <paramref name="typeParameter"/> (bound to the type); empty when nothing applies. A query that reads the rows from
    /// the marks of an included type (<paramref name="driven"/>) leaves that probe out: every row passes it.</summary>
    public static string Predicate(string type, CatalogViewer viewer, string alias = "e", string typeParameter = "$t", string? driven = null)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        var rules = viewer.Rules;
        if (Cascades(type) && viewer.SetId is not null)
        {
            const string Mark = "SELECT 1 FROM catalog_marks m WHERE m.set_id = $s AND m.mark = '{0}' AND m.seq = {1}.seq";
            var marks = new System.Text.StringBuilder();
            if (viewer.Excludes)
            {
                marks.Append(" AND NOT EXISTS (").Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, Mark, "x", alias)).Append(')');
            }

            foreach (var included in viewer.Included.Where(i => i != driven))
            {
                marks.Append(" AND EXISTS (").Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, Mark, included, alias)).Append(')');
            }

            return marks.ToString();
        }

        const string Rule = "x.catalog = $c AND x.user_name = $u";
        const string Related = "JOIN catalog_rel_keys k ON k.catalog = x.catalog AND k.rel_type = x.type AND k.rel_id = x.id JOIN catalog_links l ON l.key = k.key";
        var sql = new System.Text.StringBuilder();
        if (rules.Any(r => r.Mode == "exclude" && r.Type == type))
        {
            sql.Append($" AND {alias}.id NOT IN (SELECT x.id FROM catalog_rules x WHERE {Rule} AND x.mode = 'exclude' AND x.type = {typeParameter})");
        }

        if (Cascades(type) && rules.Any(r => r.Mode == "exclude"))
        {
            sql.Append($" AND {alias}.seq NOT IN (SELECT l.seq FROM catalog_rules x {Related} WHERE {Rule} AND x.mode = 'exclude')");
        }

        // Included types come from the known list, so they are written into the SQL as literals.
        foreach (var included in RuleTypes.Where(t => rules.Any(r => r.Mode == "include" && r.Type == t)))
        {
            if (included == type)
            {
                sql.Append($" AND {alias}.id IN (SELECT x.id FROM catalog_rules x WHERE {Rule} AND x.mode = 'include' AND x.type = {typeParameter})");
            }
            else if (Cascades(type))
            {
                sql.Append($" AND {alias}.seq IN (SELECT l.seq FROM catalog_rules x {Related} WHERE {Rule} AND x.mode = 'include' AND x.type = '{included}')");
            }
        }

        return sql.ToString();
    }
}
