using Tessera.Core.Index;

namespace Tessera.Index.Sqlite;

public sealed class SqliteDerivedIndex(SqliteDatabase database) : IDerivedIndex
{
    public Task<DerivedOriginal?> GetDerivedAsync(string source, string stepName, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.FirstAsync("""
            SELECT original, detail, etag, last_modified, fresh_until FROM derived WHERE source = $s AND step = $t
            """, r => new DerivedOriginal(source, stepName, r.NullableString(0), r.NullableString(1))
        {
            ETag = r.NullableString(2),
            LastModified = r.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(3)),
            FreshUntil = r.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(4)),
        }, cancellationToken, ("$s", source), ("$t", stepName)), cancellationToken);

    public Task<IReadOnlyDictionary<string, DerivedOriginal>> GetDerivedManyAsync(IReadOnlyCollection<string> sources, string stepName,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return database.ReadAsync<IReadOnlyDictionary<string, DerivedOriginal>>(async c =>
            (await c.ListInAsync("SELECT source, original, detail, fresh_until FROM derived WHERE step = $t AND source IN ({0})", sources,
                r => new DerivedOriginal(r.GetString(0), stepName, r.NullableString(1), r.NullableString(2))
                {
                    FreshUntil = r.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(3)),
                }, cancellationToken, ("$t", stepName)).ConfigureAwait(false)).ToDictionary(d => d.Source, StringComparer.Ordinal), cancellationToken);
    }

    public Task PutDerivedAsync(DerivedOriginal derived, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(derived);
        return database.WriteStatementAsync(c => c.ExecuteAsync("""
            INSERT INTO derived(source, step, original, detail, etag, last_modified, fresh_until, updated_at)
            VALUES ($s, $t, $o, $d, $e, $lm, $f, $now)
            ON CONFLICT(source, step) DO UPDATE SET original = $o, detail = $d, etag = $e, last_modified = $lm, fresh_until = $f, updated_at = $now
            """, cancellationToken, ("$s", derived.Source), ("$t", derived.Step), ("$o", derived.Original), ("$d", derived.Detail), ("$e", derived.ETag),
            ("$lm", derived.LastModified?.ToUnixTimeSeconds()), ("$f", derived.FreshUntil?.ToUnixTimeSeconds()), ("$now", SqliteCommands.Now())), cancellationToken);
    }

    public Task<IReadOnlyList<string>> ForgetDerivedAsync(IReadOnlyCollection<string> sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return database.WriteAsync<IReadOnlyList<string>>(async c =>
        {
            var originals = new List<string>();
            foreach (var source in sources)
            {
                originals.AddRange(await c.ListAsync("SELECT original FROM derived WHERE source = $s AND original IS NOT NULL",
                    r => r.GetString(0), cancellationToken, ("$s", source)).ConfigureAwait(false));
                await c.ExecuteAsync("DELETE FROM derived WHERE source = $s", cancellationToken, ("$s", source)).ConfigureAwait(false);
            }

            return originals;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<string>> OriginalsFromAsync(IReadOnlyList<string> sourcePrefixes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourcePrefixes);
        return database.ReadAsync<IReadOnlyList<string>>(async c =>
        {
            var originals = new List<string>();
            foreach (var prefix in sourcePrefixes.Where(p => p.Length > 0))
            {
                // substr, not LIKE: a URL's '%' and '_' are no wildcards.
                originals.AddRange(await c.ListAsync("SELECT original FROM derived WHERE substr(source, 1, length($p)) = $p AND original IS NOT NULL",
                    r => r.GetString(0), cancellationToken, ("$p", prefix)).ConfigureAwait(false));
            }

            return originals;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<string>> SourcesFromAsync(string sourcePrefix, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePrefix);
        return database.ReadAsync<IReadOnlyList<string>>(async c => await c.ListAsync("SELECT DISTINCT source FROM derived WHERE substr(source, 1, length($p)) = $p",
            r => r.GetString(0), cancellationToken, ("$p", sourcePrefix)).ConfigureAwait(false), cancellationToken);
    }
}
