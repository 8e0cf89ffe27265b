using Microsoft.Extensions.Logging;
using Tessera.Core.Index;

namespace Tessera.Index.Sqlite;

/// <summary>Opens the SQLite index of a data folder as the ports Core uses.</summary>
public static class SqliteIndex
{
    /// <summary>Opens (creating, migrating, or setting aside a damaged file) an index file on its own, for tools and tests;
    /// hosts use <see cref="SqliteIndexServiceCollectionExtensions.AddTesseraSqliteIndex"/>.</summary>
    public static IndexPorts Open(string databasePath, ILogger logger) => Ports(SqliteDatabase.Open(databasePath, logger));

    public static IndexPorts Ports(SqliteDatabase database) => new(
        new SqliteFingerprintIndex(database),
        new SqliteRenditionIndex(database),
        new SqliteEvictionIndex(database),
        new SqliteNegativeIndex(database),
        new SqliteDerivedIndex(database),
        new SqliteItemIndex(database),
        new SqliteStatsIndex(database),
        new SqliteIndexMaintenance(database),
        new SqliteCleanupIndex(database),
        new SqliteJobIndex(database),
        new SqliteCatalogIndex(database),
        database);
}
