using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Index;
using Tessera.Index.Postgres;
using Tessera.Tests.Support;

namespace Tessera.Tests.Index.Contracts;

/// <summary>A real PostgreSQL schema of its own (<see cref="PostgresSchema"/>), migrated as a replica would.</summary>
public sealed class PostgresIndexFixture : IIndexFixture
{
    private readonly PostgresSchema _schema = new();

    public PostgresIndexFixture() => Ports = PostgresIndex.Open(_schema.ConnectionString, NullLogger.Instance);

    public IndexPorts Ports { get; }

    public void Dispose()
    {
        Ports.Dispose();
        _schema.Dispose();
    }
}

public sealed class PostgresFingerprintIndexTests : FingerprintIndexContract<PostgresIndexFixture>;

public sealed class PostgresRenditionIndexTests : RenditionIndexContract<PostgresIndexFixture>;

public sealed class PostgresEvictionIndexTests : EvictionIndexContract<PostgresIndexFixture>;

public sealed class PostgresNegativeIndexTests : NegativeIndexContract<PostgresIndexFixture>;

public sealed class PostgresDerivedIndexTests : DerivedIndexContract<PostgresIndexFixture>;

public sealed class PostgresItemIndexTests : ItemIndexContract<PostgresIndexFixture>;

public sealed class PostgresStatsIndexTests : StatsIndexContract<PostgresIndexFixture>;

public sealed class PostgresIndexMaintenanceTests : IndexMaintenanceContract<PostgresIndexFixture>;

public sealed class PostgresCleanupIndexTests : CleanupIndexContract<PostgresIndexFixture>;

public sealed class PostgresJobIndexTests : JobIndexContract<PostgresIndexFixture>;

public sealed class PostgresCatalogIndexTests : CatalogIndexContract<PostgresIndexFixture>;

public sealed class PostgresCatalogIndexReferenceTests : CatalogIndexReferenceContract<PostgresIndexFixture>;
