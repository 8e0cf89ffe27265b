using Tessera.Core.Catalog;
using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

/// <summary>The catalog cache in PostgreSQL (schema: <see cref="Migrations.M0005Catalog"/>), shared by the replicas,
/// with the SQLite catalog's meaning: a page is written in a few round trips (<see cref="PostgresCatalogUpsert"/>);
/// browsing, search, rules and stats are SQL over indexes (<see cref="PostgresCatalogBrowse"/>,
/// <see cref="PostgresCatalogVisibility"/>, <see cref="PostgresCatalogStats"/>). Live counts are counted, not kept.</summary>
public sealed class PostgresCatalogIndex(PostgresDatabase database) : ICatalogIndex
{
    private const string Live = "catalog = @c AND type = @t AND deleted_at IS NULL";

    public Task<IReadOnlyList<CatalogEntity>> UpsertAsync(string catalog, IReadOnlyList<CatalogEntity> entities, DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        foreach (var e in entities)
        {
            if (!CatalogTypes.IsKnown(e.Type))
            {
                throw new ArgumentException($"unknown catalog type '{e.Type}'", nameof(entities));
            }
        }

        return entities.Count == 0
            ? Task.FromResult<IReadOnlyList<CatalogEntity>>([])
            : database.WriteAsync(c => PostgresCatalogUpsert.RunAsync(c, catalog, entities, seenAt, cancellationToken), cancellationToken);
    }

    /// <summary>Only rows this sweep did not see: <c>synced_at</c> older than its start (a row a page wrote since has it later).</summary>
    public async Task<IReadOnlyList<string>> SoftDeleteUnseenAsync(string catalog, string type, DateTimeOffset sweepStarted, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        await database.StatementAsync(c => c.ListAsync($"UPDATE catalog_entities SET deleted_at = @now WHERE {Live} AND synced_at < @s RETURNING id",
            r => r.GetString(0), cancellationToken, ("c", catalog), ("t", type), ("s", sweepStarted.ToUnixTimeMilliseconds()),
            ("now", now.ToUnixTimeMilliseconds())), cancellationToken).ConfigureAwait(false);

    public async Task<bool> SoftDeleteAsync(string catalog, string type, string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.StatementAsync(c => c.ExecuteAsync($"UPDATE catalog_entities SET deleted_at = @now WHERE {Live} AND id = @id", cancellationToken,
            ("c", catalog), ("t", type), ("id", id), ("now", now.ToUnixTimeMilliseconds())), cancellationToken).ConfigureAwait(false) == 1;

    public Task<long> CountLiveAsync(string catalog, string type, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ScalarAsync($"SELECT count(*) FROM catalog_entities WHERE {Live}", cancellationToken, ("c", catalog), ("t", type)),
            cancellationToken);

    public Task<CatalogWatermark?> GetWatermarkAsync(string catalog, string type, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.FirstAsync("""
            SELECT last_result, updated_since, last_full_sync, last_sync FROM catalog_watermarks WHERE catalog = @c AND type = @t
            """, r => new CatalogWatermark(catalog, type, Time(r.NullableInt64(1)), Time(r.NullableInt64(2)), Time(r.NullableInt64(3)), r.NullableString(0)),
            cancellationToken, ("c", catalog), ("t", type)), cancellationToken);

    public Task PutWatermarkAsync(CatalogWatermark watermark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watermark);
        return database.StatementAsync(c => c.ExecuteAsync("""
            INSERT INTO catalog_watermarks(catalog, type, updated_since, last_full_sync, last_sync, last_result)
            VALUES (@c, @t, @us::bigint, @lf::bigint, @ls::bigint, @lr::text)
            ON CONFLICT(catalog, type) DO UPDATE SET updated_since = excluded.updated_since, last_full_sync = excluded.last_full_sync,
                last_sync = excluded.last_sync, last_result = excluded.last_result
            """, cancellationToken, ("c", watermark.Catalog), ("t", watermark.Type), ("us", Ms(watermark.UpdatedSince)),
            ("lf", Ms(watermark.LastFullSync)), ("ls", Ms(watermark.LastSync)), ("lr", watermark.LastResult)), cancellationToken);
    }

    public Task<CatalogPage> BrowseAsync(CatalogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return database.ReadAsync(c => PostgresCatalogBrowse.RunAsync(c, query, cancellationToken), cancellationToken);
    }

    public Task<CatalogEntity?> GetAsync(string catalog, string type, string id, string? user, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var rules = await PostgresCatalogVisibility.RulesAsync(c, catalog, user, cancellationToken).ConfigureAwait(false);
            var entity = await c.FirstAsync($"SELECT {PostgresCatalogRows.Columns} FROM catalog_entities e WHERE e.catalog = @c AND e.type = @t AND e.deleted_at IS NULL AND e.id = @id{PostgresCatalogVisibility.Predicate(type, rules)}",
                PostgresCatalogRows.Entity, cancellationToken, ("c", catalog), ("t", type), ("id", id), ("u", user)).ConfigureAwait(false);
            return entity is null ? null : (await PostgresCatalogRows.CompleteAsync(c, catalog, [entity], cancellationToken).ConfigureAwait(false))[0];
        }, cancellationToken);

    public Task<CatalogStats> StatsAsync(string catalog, string? user, CancellationToken cancellationToken) =>
        database.SnapshotAsync(c => PostgresCatalogStats.RunAsync(c, catalog, user, cancellationToken), cancellationToken);

    public Task PutRulesAsync(string catalog, string user, IReadOnlyList<CatalogRule> rules, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var rule in rules)
        {
            if (!PostgresCatalogVisibility.RuleTypes.Contains(rule.Type) || rule.Mode is not ("include" or "exclude"))
            {
                throw new ArgumentException($"a rule is of tags, studios, groups or performers, in mode include or exclude (not {rule.Type} {rule.Mode})", nameof(rules));
            }
        }

        var flat = rules.SelectMany(r => r.Ids.Select(id => (r.Type, r.Mode, Id: id))).Distinct().ToList();
        return database.WriteAsync(c => c.ExecuteAsync("""
            DELETE FROM catalog_rules WHERE catalog = @c AND user_name = @u;
            INSERT INTO catalog_rules(catalog, user_name, type, mode, id)
            SELECT @c, @u, n.type, n.mode, n.id FROM unnest(@types, @modes, @ids) AS n(type, mode, id) ON CONFLICT DO NOTHING
            """, cancellationToken, ("c", catalog), ("u", user), ("types", flat.Select(r => r.Type).ToArray()),
            ("modes", flat.Select(r => r.Mode).ToArray()), ("ids", flat.Select(r => r.Id).ToArray())), cancellationToken);
    }

    public Task<IReadOnlyList<CatalogRule>> GetRulesAsync(string catalog, string user, CancellationToken cancellationToken) =>
        database.ReadAsync(c => PostgresCatalogVisibility.RulesAsync(c, catalog, user, cancellationToken), cancellationToken);

    private static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    private static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
