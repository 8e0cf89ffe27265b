using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite.Migrations;

/// <summary>Brings an index file up to the latest schema in place. A file made before migrations were numbered has
/// user_version 0 and passes through the baseline unchanged.</summary>
internal static class Migrator
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "baseline", M0001Baseline.Apply),
        new(2, "stats", M0002Stats.Apply),
        new(3, "fingerprint change time", M0003FingerprintChange.Apply),
        new(4, "jobs", M0004Jobs.Apply),
        new(5, "rendition settings", M0005RenditionSettings.Apply),
        new(6, "catalog", M0006Catalog.Apply),
        new(7, "catalog counters", M0007CatalogCounters.Apply),
        new(8, "catalog rule sets for rules saved before 7 (done by 11 since then)", _ => { }),
        new(9, "rendition libraries", M0009RenditionLibraries.Apply),
        new(10, "catalog mark counts per related entity", M0010CatalogMarkCounts.Apply),
        new(11, "catalog links in integers", M0011CatalogLinks.Apply),
        new(12, "rendition previews", M0012RenditionPreviews.Apply),
    ];

    public static int Latest => All[^1].Number;

    public static void Run(SqliteConnection connection)
    {
        connection.Execute("PRAGMA journal_mode = WAL;");
        if (connection.Scalar("PRAGMA user_version") >= Latest)
        {
            return;
        }

        // BEGIN IMMEDIATE, then look again: another process may have migrated while this one waited.
        using var tx = connection.BeginTransaction(deferred: false);
        var version = connection.Scalar("PRAGMA user_version");
        foreach (var migration in All.Where(m => m.Number > version))
        {
            migration.Apply(connection);
            connection.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {migration.Number}"));
        }

        tx.Commit();
    }
}
