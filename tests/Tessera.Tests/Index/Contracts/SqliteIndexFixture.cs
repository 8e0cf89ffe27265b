using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Index;
using Tessera.Index.Sqlite;
using Tessera.Tests.Support;

namespace Tessera.Tests.Index.Contracts;

/// <summary>A real SQLite file in a temp folder.</summary>
public sealed class SqliteIndexFixture : IIndexFixture
{
    private readonly TempDir _dir = new();

    public SqliteIndexFixture() => Ports = SqliteIndex.Open(Path.Combine(_dir.Path, "tessera.db"), NullLogger.Instance);

    public IndexPorts Ports { get; }

    public void Dispose()
    {
        Ports.Dispose();
        _dir.Dispose();
    }
}

public sealed class SqliteFingerprintIndexTests : FingerprintIndexContract<SqliteIndexFixture>;

public sealed class SqliteRenditionIndexTests : RenditionIndexContract<SqliteIndexFixture>;

public sealed class SqliteEvictionIndexTests : EvictionIndexContract<SqliteIndexFixture>;

public sealed class SqliteNegativeIndexTests : NegativeIndexContract<SqliteIndexFixture>;

public sealed class SqliteDerivedIndexTests : DerivedIndexContract<SqliteIndexFixture>;

public sealed class SqliteItemIndexTests : ItemIndexContract<SqliteIndexFixture>;

public sealed class SqliteStatsIndexTests : StatsIndexContract<SqliteIndexFixture>;

public sealed class SqliteIndexMaintenanceTests : IndexMaintenanceContract<SqliteIndexFixture>;

public sealed class SqliteCleanupIndexTests : CleanupIndexContract<SqliteIndexFixture>;

public sealed class SqliteJobIndexTests : JobIndexContract<SqliteIndexFixture>;

public sealed class SqliteCatalogIndexTests : CatalogIndexContract<SqliteIndexFixture>;

public sealed class SqliteCatalogIndexReferenceTests : CatalogIndexReferenceContract<SqliteIndexFixture>;
