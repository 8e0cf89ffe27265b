using Microsoft.Data.Sqlite;
using Tessera.Core.Index;
using Tessera.Core.Pipeline;

namespace Tessera.Index.Sqlite;

/// <summary>One row per item that could not be thumbnailed. Times are Unix milliseconds, so back-off steps of a
/// minute survive a round trip exactly.</summary>
public sealed class SqliteNegativeIndex(SqliteDatabase database) : INegativeIndex
{
    internal const string Columns = "item, source, reason, detail, attempts, first_failed_at, last_failed_at, retry_at, size, mtime";

    public async Task<IReadOnlyList<NegativeEntry>> LoadNegativesAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync($"SELECT {Columns} FROM negatives", Entry, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<NegativeEntry>> ListNegativesAsync(FailureReason? reason, int offset, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync($"SELECT {Columns} FROM negatives WHERE $r IS NULL OR reason = $r ORDER BY item LIMIT $l OFFSET $o",
            Entry, cancellationToken, ("$r", reason is { } r ? FailureReasons.ToText(r) : null), ("$l", Math.Max(0, limit)), ("$o", Math.Max(0, offset))),
            cancellationToken).ConfigureAwait(false);

    public Task<NegativeEntry?> GetNegativeAsync(string item, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.FirstAsync($"SELECT {Columns} FROM negatives WHERE item = $i", Entry, cancellationToken, ("$i", item)), cancellationToken);

    public Task PutNegativeAsync(NegativeEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return database.WriteStatementAsync(c => c.ExecuteAsync($"""
            INSERT INTO negatives({Columns}) VALUES ($i, $s, $r, $d, $a, $f, $l, $t, $sz, $m)
            ON CONFLICT(item) DO UPDATE SET source = $s, reason = $r, detail = $d, attempts = $a,
                first_failed_at = $f, last_failed_at = $l, retry_at = $t, size = $sz, mtime = $m
            """, cancellationToken,
            ("$i", entry.Item), ("$s", entry.Source), ("$r", FailureReasons.ToText(entry.Reason)), ("$d", entry.Detail),
            ("$a", entry.Attempts), ("$f", entry.FirstFailedAt.ToUnixTimeMilliseconds()), ("$l", entry.LastFailedAt.ToUnixTimeMilliseconds()),
            ("$t", entry.RetryAt.ToUnixTimeMilliseconds()), ("$sz", entry.Size), ("$m", entry.MtimeTicks)), cancellationToken);
    }

    public Task<int> ClearNegativesAsync(FailureReason? reason, string? item, CancellationToken cancellationToken) =>
        database.WriteStatementAsync(c => c.ExecuteAsync("DELETE FROM negatives WHERE ($r IS NULL OR reason = $r) AND ($i IS NULL OR item = $i)",
            cancellationToken, ("$r", reason is { } r ? FailureReasons.ToText(r) : null), ("$i", item)), cancellationToken);

    /// <summary>From the totals the triggers keep: no scan of the negatives.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountNegativesAsync(CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(c => c.ListAsync("SELECT reason, entries FROM negative_totals WHERE entries > 0",
            r => (Reason: r.GetString(0), Entries: r.GetInt64(1)), cancellationToken), cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Reason, r => r.Entries, StringComparer.Ordinal);
    }

    internal static NegativeEntry Entry(SqliteDataReader r)
    {
        // A reason written by a newer version is kept as decode-failed rather than dropped.
        var reason = FailureReasons.TryParse(r.GetString(2), out var parsed) ? parsed : FailureReason.DecodeFailed;
        return new NegativeEntry(r.GetString(0), r.GetString(1), reason, r.GetString(3), r.GetInt32(4),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)), r.GetInt64(8), r.GetInt64(9));
    }
}
