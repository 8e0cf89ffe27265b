using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite.Migrations;

/// <summary>Gives a rule set (<see cref="M0007CatalogCounters"/>) to every user whose rules were saved before migration 7:
/// M0007 made the tables but no sets, so such a user browsed through the slow subqueries until their rules were saved
/// again. Each user is assigned exactly as <c>PutRulesAsync</c> would (users with identical rules share one set).
/// <para>It runs as part of migration 11, not 8 (whose number now does nothing): assigning uses today's code, which
/// reads the integer links M0011 makes. A file at 8 or later already has every set, so running it again finds no one.</para></summary>
internal static class M0008CatalogRuleSetsForOldRules
{
    public static void Apply(SqliteConnection connection)
    {
        // Microsoft.Data.Sqlite runs its async methods synchronously; a migration runs once, inside the opening transaction.
        var users = connection.ListAsync("""
            SELECT DISTINCT r.catalog, r.user_name FROM catalog_rules r
            WHERE NOT EXISTS (SELECT 1 FROM catalog_user_sets u WHERE u.catalog = r.catalog AND u.user_name = r.user_name)
            ORDER BY r.catalog, r.user_name
            """, r => (Catalog: r.GetString(0), User: r.GetString(1)), CancellationToken.None).GetAwaiter().GetResult();
        foreach (var (catalog, user) in users)
        {
            var rules = SqliteCatalogBrowse.RulesAsync(connection, catalog, user, CancellationToken.None).GetAwaiter().GetResult();
            SqliteCatalogRuleSets.AssignAsync(connection, catalog, user, rules, CancellationToken.None).GetAwaiter().GetResult();
        }
    }
}
