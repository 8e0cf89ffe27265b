using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

public sealed class PostgresDerivedIndex(PostgresDatabase database) : IDerivedIndex
{
    public Task<DerivedOriginal?> GetDerivedAsync(string source, string stepName, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.FirstAsync("""
            SELECT original, detail, etag, last_modified, fresh_until FROM derived WHERE source = @s AND step = @t
            """, r => new DerivedOriginal(source, stepName, r.NullableString(0), r.NullableString(1))
        {
            ETag = r.NullableString(2),
            LastModified = r.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(3)),
            FreshUntil = r.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(4)),
        }, cancellationToken, ("s", source), ("t", stepName)), cancellationToken);

    public Task<IReadOnlyDictionary<string, DerivedOriginal>> GetDerivedManyAsync(IReadOnlyCollection<string> sources, string stepName,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return database.ReadAsync<IReadOnlyDictionary<string, DerivedOriginal>>(async c =>
            (await c.ListAsync("SELECT source, original, detail, fresh_until FROM derived WHERE step = @t AND source = ANY(@in)",
                r => new DerivedOriginal(r.GetString(0), stepName, r.NullableString(1), r.NullableString(2))
                {
                    FreshUntil = r.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(3)),
                }, cancellationToken, ("t", stepName), ("in", PostgresCommands.Array(sources))).ConfigureAwait(false))
            .ToDictionary(d => d.Source, StringComparer.Ordinal), cancellationToken);
    }

    public Task PutDerivedAsync(DerivedOriginal derived, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(derived);
        return database.StatementAsync(c => c.ExecuteAsync("""
            INSERT INTO derived(source, step, original, detail, etag, last_modified, fresh_until, updated_at)
            VALUES (@s, @t, @o, @d, @e, @lm, @f, @now)
            ON CONFLICT(source, step) DO UPDATE SET original = @o, detail = @d, etag = @e, last_modified = @lm, fresh_until = @f, updated_at = @now
            """, cancellationToken, ("s", derived.Source), ("t", derived.Step), ("o", derived.Original), ("d", derived.Detail), ("e", derived.ETag),
            ("lm", derived.LastModified?.ToUnixTimeSeconds()), ("f", derived.FreshUntil?.ToUnixTimeSeconds()), ("now", PostgresCommands.Now())), cancellationToken);
    }

    public Task<IReadOnlyList<string>> ForgetDerivedAsync(IReadOnlyCollection<string> sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return database.StatementAsync<IReadOnlyList<string>>(async c =>
        {
            var originals = await c.ListAsync("DELETE FROM derived WHERE source = ANY(@in) RETURNING original", r => r.NullableString(0), cancellationToken,
                ("in", PostgresCommands.Array(sources))).ConfigureAwait(false);
            return [.. originals.OfType<string>()];
        }, cancellationToken);
    }

    public Task<IReadOnlyList<string>> OriginalsFromAsync(IReadOnlyList<string> sourcePrefixes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourcePrefixes);
        var prefixes = PostgresCommands.Array(sourcePrefixes.Where(p => p.Length > 0));
        return database.ReadAsync<IReadOnlyList<string>>(async c => await c.ListAsync("""
            SELECT d.original FROM derived d WHERE d.original IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(@p) AS p(prefix) WHERE starts_with(d.source, p.prefix))
            """, r => r.GetString(0), cancellationToken, ("p", prefixes)).ConfigureAwait(false), cancellationToken);
    }

    public Task<IReadOnlyList<string>> SourcesFromAsync(string sourcePrefix, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePrefix);
        return database.ReadAsync<IReadOnlyList<string>>(async c => await c.ListAsync("SELECT DISTINCT source FROM derived WHERE starts_with(source, @p)",
            r => r.GetString(0), cancellationToken, ("p", sourcePrefix)).ConfigureAwait(false), cancellationToken);
    }
}
