using Npgsql;

namespace Tessera.Index.Postgres.Migrations;

/// <summary>Brings a schema up to the latest version. Numbered migrations are recorded in <c>schema_version</c> and
/// applied in one transaction under an advisory lock keyed by the schema, so replicas starting together migrate it
/// once: the second waits, then finds nothing left to do. PostgreSQL's DDL is transactional, so a failed migration
/// leaves the schema as it was. Every migration not recorded is applied, not only those above the highest recorded:
/// branches number theirs apart (leases are 20), so a schema that has 20 still gets a 5 merged in later.</summary>
internal static class PostgresMigrator
{
    public static IReadOnlyList<PostgresMigration> All { get; } =
    [
        new(1, "files, renditions and items", M0001Baseline.Sql),
        new(2, "stats totals", M0002Stats.Sql()),
        new(3, "jobs", M0003Jobs.Sql),
        new(4, "schedules", M0004Schedules.Sql),
        new(5, "catalog", M0005Catalog.Sql()),
        new(20, "rendition leases", M0020RenditionLeases.Sql),
    ];

    public static int Latest => All.Max(m => m.Number);

    /// <summary>Migrates; returns the version the schema had before (0 when it was empty).</summary>
    public static async Task<int> RunAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var seen = await AppliedAsync(connection, cancellationToken).ConfigureAwait(false);
        if (All.All(m => seen.Contains(m.Number)))
        {
            return seen.Count == 0 ? 0 : seen.Max();
        }

        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext('tessera-migrate:' || coalesce(current_schema(), '')))", cancellationToken)
            .ConfigureAwait(false);
        // Under the lock, look again: another replica may have migrated while this one waited.
        await connection.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_version(
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """, cancellationToken).ConfigureAwait(false);
        var applied = await AppliedAsync(connection, cancellationToken).ConfigureAwait(false);
        foreach (var migration in All.Where(m => !applied.Contains(m.Number)))
        {
            await connection.ExecuteAsync(migration.Sql, cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync("INSERT INTO schema_version(version, name) VALUES (@v, @n)", cancellationToken,
                ("v", migration.Number), ("n", migration.Name)).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return applied.Count == 0 ? 0 : applied.Max();
    }

    private static async Task<HashSet<int>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await connection.ScalarAsync("SELECT count(*) FROM pg_class WHERE oid = to_regclass('schema_version')", cancellationToken).ConfigureAwait(false) == 0
            ? []
            : [.. await connection.ListAsync("SELECT version FROM schema_version", r => r.GetInt32(0), cancellationToken).ConfigureAwait(false)];
}

internal sealed record PostgresMigration(int Number, string Name, string Sql);
