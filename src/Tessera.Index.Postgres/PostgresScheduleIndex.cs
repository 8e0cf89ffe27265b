using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

/// <summary>One conditional upsert: the replica whose statement moves next_at first fires; one that waited on the row
/// lock finds it moved past now and does not.</summary>
public sealed class PostgresScheduleIndex(PostgresDatabase database) : IScheduleIndex
{
    public async Task<bool> TryFireAsync(string schedule, DateTimeOffset now, DateTimeOffset nextRun, CancellationToken cancellationToken) =>
        (await database.StatementAsync(c => c.ListAsync("""
            INSERT INTO schedules AS s(name, next_at) VALUES (@n, @next)
            ON CONFLICT(name) DO UPDATE SET next_at = @next WHERE s.next_at <= @now
            RETURNING 1
            """, r => r.GetInt32(0), cancellationToken, ("n", schedule), ("next", nextRun.ToUnixTimeMilliseconds()), ("now", now.ToUnixTimeMilliseconds())),
            cancellationToken).ConfigureAwait(false)).Count == 1;
}
