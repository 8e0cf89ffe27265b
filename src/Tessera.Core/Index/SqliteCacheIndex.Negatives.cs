using Microsoft.Data.Sqlite;
using Tessera.Core.Pipeline;

namespace Tessera.Core.Index;

/// <summary>The negatives table: one row per item that could not be thumbnailed.</summary>
public sealed partial class SqliteCacheIndex : INegativeIndex
{
    private const string NegativeColumns = "item, source, reason, detail, attempts, first_failed_at, last_failed_at, retry_at, size, mtime";

    /// <summary>Times are Unix milliseconds, so back-off steps of a minute survive a round trip exactly.</summary>
    private static void CreateNegatives(SqliteConnection connection) => Execute(connection, """
        CREATE TABLE IF NOT EXISTS negatives(
            item TEXT PRIMARY KEY, source TEXT NOT NULL, reason TEXT NOT NULL, detail TEXT NOT NULL,
            attempts INTEGER NOT NULL, first_failed_at INTEGER NOT NULL, last_failed_at INTEGER NOT NULL,
            retry_at INTEGER NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS negatives_reason ON negatives(reason);
        """);

    public Task<IReadOnlyList<NegativeEntry>> LoadNegativesAsync(CancellationToken cancellationToken) =>
        QueryNegativesAsync($"SELECT {NegativeColumns} FROM negatives", [], cancellationToken);

    public Task<IReadOnlyList<NegativeEntry>> ListNegativesAsync(FailureReason? reason, int offset, int limit, CancellationToken cancellationToken) =>
        QueryNegativesAsync($"SELECT {NegativeColumns} FROM negatives WHERE $r IS NULL OR reason = $r ORDER BY item LIMIT $l OFFSET $o",
            [("$r", reason is { } r ? FailureReasons.ToText(r) : null), ("$l", Math.Max(0, limit)), ("$o", Math.Max(0, offset))], cancellationToken);

    public Task PutNegativeAsync(NegativeEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteImmediateAsync($"""
            INSERT INTO negatives({NegativeColumns}) VALUES ($i, $s, $r, $d, $a, $f, $l, $t, $sz, $m)
            ON CONFLICT(item) DO UPDATE SET source = $s, reason = $r, detail = $d, attempts = $a,
                first_failed_at = $f, last_failed_at = $l, retry_at = $t, size = $sz, mtime = $m
            """, cancellationToken,
            ("$i", entry.Item), ("$s", entry.Source), ("$r", FailureReasons.ToText(entry.Reason)), ("$d", entry.Detail),
            ("$a", entry.Attempts), ("$f", entry.FirstFailedAt.ToUnixTimeMilliseconds()), ("$l", entry.LastFailedAt.ToUnixTimeMilliseconds()),
            ("$t", entry.RetryAt.ToUnixTimeMilliseconds()), ("$sz", entry.Size), ("$m", entry.MtimeTicks));
    }

    public Task<int> ClearNegativesAsync(FailureReason? reason, string? item, CancellationToken cancellationToken) =>
        WriteImmediateAsync("DELETE FROM negatives WHERE ($r IS NULL OR reason = $r) AND ($i IS NULL OR item = $i)", cancellationToken,
            ("$r", reason is { } r ? FailureReasons.ToText(r) : null), ("$i", item));

    public async Task<IReadOnlyDictionary<string, long>> CountNegativesAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var connection = Open();
        await using var cmd = Command(connection, "SELECT reason, count(*) FROM negatives GROUP BY reason");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private async Task<IReadOnlyList<NegativeEntry>> QueryNegativesAsync(string sql, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        var entries = new List<NegativeEntry>();
        await using var connection = Open();
        await using var cmd = Command(connection, sql, parameters);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // A reason written by a newer version is kept as decode-failed rather than dropped.
            var reason = FailureReasons.TryParse(reader.GetString(2), out var r) ? r : FailureReason.DecodeFailed;
            entries.Add(new NegativeEntry(reader.GetString(0), reader.GetString(1), reason, reader.GetString(3), reader.GetInt32(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)), reader.GetInt64(8), reader.GetInt64(9)));
        }

        return entries;
    }

    private async Task<int> WriteImmediateAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = Open();
            await using var tx = connection.BeginTransaction(deferred: false);
            await using var cmd = Command(connection, sql, parameters);
            cmd.Transaction = tx;
            var rows = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return rows;
        }
        finally
        {
            _writer.Release();
        }
    }
}
