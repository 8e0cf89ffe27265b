using Microsoft.Extensions.Logging;
using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

/// <summary>Opens a PostgreSQL index outside dependency injection (tools, tests).</summary>
public static class PostgresIndex
{
    public static IndexPorts Open(string connectionString, ILogger logger) => Ports(PostgresDatabase.Open(connectionString, logger));

    public static IndexPorts Ports(PostgresDatabase database) => new(
        new PostgresFingerprintIndex(database),
        new PostgresRenditionIndex(database),
        new PostgresEvictionIndex(database),
        new PostgresNegativeIndex(database),
        new PostgresDerivedIndex(database),
        new PostgresItemIndex(database),
        new PostgresStatsIndex(database),
        new PostgresIndexMaintenance(database),
        new PostgresCleanupIndex(database),
        new PostgresJobIndex(database),
        new PostgresCatalogIndex(database),
        database);
}
