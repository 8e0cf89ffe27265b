using Tessera.Core.Catalog;
using Tessera.Core.Index;

namespace Tessera.Index.Sqlite;

/// <summary>The catalog cache in the index file (schema: <see cref="Migrations.M0006Catalog"/>, counters and rule
/// sets: <see cref="Migrations.M0007CatalogCounters"/>). Writes run in one
/// BEGIN IMMEDIATE transaction each; browsing, search, rules and stats are SQL over indexes
/// (<see cref="SqliteCatalogBrowse"/>, <see cref="CatalogVisibility"/>, <see cref="SqliteCatalogStats"/>).</summary>
public sealed class SqliteCatalogIndex(SqliteDatabase database) : ICatalogIndex
{
    private const string Live = "catalog = $c AND type = $t AND deleted_at IS NULL";

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
            : database.WriteAsync(c => SqliteCatalogUpsert.RunAsync(c, catalog, entities, seenAt, cancellationToken), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> SoftDeleteUnseenAsync(string catalog, string type, DateTimeOffset sweepStarted, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.WriteAsync(c => c.ListAsync($"UPDATE catalog_entities SET deleted_at = $now WHERE {Live} AND synced_at < $s RETURNING id",
            r => r.GetString(0), cancellationToken, ("$c", catalog), ("$t", type), ("$s", sweepStarted.ToUnixTimeMilliseconds()),
            ("$now", now.ToUnixTimeMilliseconds())), cancellationToken).ConfigureAwait(false);

    public async Task<bool> SoftDeleteAsync(string catalog, string type, string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.WriteStatementAsync(c => c.ExecuteAsync($"UPDATE catalog_entities SET deleted_at = $now WHERE {Live} AND id = $id", cancellationToken,
            ("$c", catalog), ("$t", type), ("$id", id), ("$now", now.ToUnixTimeMilliseconds())), cancellationToken).ConfigureAwait(false) == 1;

    public Task<long> CountLiveAsync(string catalog, string type, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ScalarAsync("SELECT coalesce(sum(n), 0) FROM catalog_live WHERE catalog = $c AND type = $t", cancellationToken, ("$c", catalog), ("$t", type)),
            cancellationToken);

    public Task<CatalogWatermark?> GetWatermarkAsync(string catalog, string type, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.FirstAsync("""
            SELECT last_result, updated_since, last_full_sync, last_sync FROM catalog_watermarks WHERE catalog = $c AND type = $t
            """, r => new CatalogWatermark(catalog, type, Time(r.NullableInt64(1)), Time(r.NullableInt64(2)), Time(r.NullableInt64(3)), r.NullableString(0)),
            cancellationToken, ("$c", catalog), ("$t", type)), cancellationToken);

    public Task PutWatermarkAsync(CatalogWatermark watermark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watermark);
        return database.WriteStatementAsync(c => c.ExecuteAsync("""
            INSERT INTO catalog_watermarks(catalog, type, updated_since, last_full_sync, last_sync, last_result) VALUES ($c, $t, $us, $lf, $ls, $lr)
            ON CONFLICT(catalog, type) DO UPDATE SET updated_since = excluded.updated_since, last_full_sync = excluded.last_full_sync,
                last_sync = excluded.last_sync, last_result = excluded.last_result
            """, cancellationToken, ("$c", watermark.Catalog), ("$t", watermark.Type), ("$us", Ms(watermark.UpdatedSince)),
            ("$lf", Ms(watermark.LastFullSync)), ("$ls", Ms(watermark.LastSync)), ("$lr", watermark.LastResult)), cancellationToken);
    }

    public Task<CatalogPage> BrowseAsync(CatalogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return database.ReadAsync(c => SqliteCatalogBrowse.RunAsync(c, query, cancellationToken), cancellationToken);
    }

    public Task<CatalogEntity?> GetAsync(string catalog, string type, string id, string? user, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var viewer = await SqliteCatalogRuleSets.ViewerAsync(c, catalog, user, cancellationToken).ConfigureAwait(false);
            var entity = await c.FirstAsync($"SELECT {SqliteCatalogRows.Columns} FROM catalog_entities e WHERE e.catalog = $c AND e.type = $t AND e.deleted_at IS NULL AND e.id = $id{CatalogVisibility.Predicate(type, viewer)}",
                SqliteCatalogRows.Entity, cancellationToken, ("$c", catalog), ("$t", type), ("$id", id), ("$u", user), ("$s", viewer.SetId)).ConfigureAwait(false);
            return entity is null ? null : (await SqliteCatalogRows.CompleteAsync(c, catalog, [entity], cancellationToken).ConfigureAwait(false))[0];
        }, cancellationToken);

    public Task<CatalogStats> StatsAsync(string catalog, string? user, CancellationToken cancellationToken) =>
        database.ReadAsync(c => SqliteCatalogStats.RunAsync(c, catalog, user, cancellationToken), cancellationToken);

    public Task PutRulesAsync(string catalog, string user, IReadOnlyList<CatalogRule> rules, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var rule in rules)
        {
            if (!CatalogVisibility.RuleTypes.Contains(rule.Type) || rule.Mode is not ("include" or "exclude"))
            {
                throw new ArgumentException($"a rule is of tags, studios, groups or performers, in mode include or exclude (not {rule.Type} {rule.Mode})", nameof(rules));
            }
        }

        return database.WriteAsync(async c =>
        {
            await c.ExecuteAsync("DELETE FROM catalog_rules WHERE catalog = $c AND user_name = $u", cancellationToken, ("$c", catalog), ("$u", user)).ConfigureAwait(false);
            foreach (var rule in rules)
            {
                foreach (var id in rule.Ids.Distinct(StringComparer.Ordinal))
                {
                    await c.ExecuteAsync("""
                        INSERT INTO catalog_rules(catalog, user_name, type, mode, id) VALUES ($c, $u, $t, $m, $id) ON CONFLICT DO NOTHING
                        """, cancellationToken, ("$c", catalog), ("$u", user), ("$t", rule.Type), ("$m", rule.Mode), ("$id", id)).ConfigureAwait(false);
                }
            }

            await SqliteCatalogRuleSets.AssignAsync(c, catalog, user, rules, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<CatalogRule>> GetRulesAsync(string catalog, string user, CancellationToken cancellationToken) =>
        database.ReadAsync(c => SqliteCatalogBrowse.RulesAsync(c, catalog, user, cancellationToken), cancellationToken);

    private static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    private static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
