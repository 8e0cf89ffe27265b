using Microsoft.Data.Sqlite;
using Tessera.Core.Jobs;
using static Tessera.Index.Sqlite.SqliteJobRows;

namespace Tessera.Index.Sqlite;

/// <summary>The work units of jobs: pending, running (leased by an owner until a time, at a version) or done. Every
/// write names the owner and version it claimed with, and a unit whose lease was released or taken over rejects it.</summary>
internal sealed class SqliteJobUnits(SqliteDatabase database)
{
    private const string Fenced = $"id = $id AND owner = $o AND version = $v AND state = '{Running}'";
    private const string Reset = "completed = 0, skipped = 0, failed = 0, bytes = 0";

    public Task<UnitLease?> ClaimAsync(string owner, DateTimeOffset now, TimeSpan lease, int perJobLimit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return database.WriteAsync(async c =>
        {
            // One statement picks and takes the unit; BEGIN IMMEDIATE keeps other processes out meanwhile. A queued
            // job's units are claimable too (a resumed job), and the claim makes the job running.
            var claimed = await c.FirstAsync($"""
                UPDATE job_units SET state = '{Running}', owner = $o, lease_until = $until, version = version + 1, attempts = attempts + 1,
                    {Reset}, updated_at = $now
                WHERE id = (SELECT u.id FROM jobs j JOIN job_units u ON u.job_id = j.id
                    WHERE j.status IN ('queued', 'running') AND j.phase IN ('discovery', 'processing')
                        AND (u.state = '{Pending}' OR (u.state = '{Running}' AND u.lease_until <= $now))
                        AND (SELECT count(*) FROM job_units l WHERE l.job_id = j.id AND l.state = '{Running}' AND l.lease_until > $now) < $limit
                    ORDER BY j.priority DESC, j.created_at, j.id, u.seq LIMIT 1)
                RETURNING id, job_id, seq, items, tasks, owner, lease_until, version, attempts
                """, r => new UnitLease(r.GetInt64(0), r.GetInt64(1), r.GetInt32(2), r.GetString(3), r.GetInt64(4), r.GetString(5),
                    Time(r.GetInt64(6)), r.GetInt64(7), r.GetInt32(8)),
                cancellationToken, ("$o", owner), ("$until", Ms(now + lease)), ("$now", Ms(now)), ("$limit", perJobLimit)).ConfigureAwait(false);
            if (claimed is not null)
            {
                await c.ExecuteAsync("""
                    UPDATE jobs SET status = 'running', started_at = coalesce(started_at, $now), updated_at = $now WHERE id = $j AND status = 'queued'
                    """, cancellationToken, ("$j", claimed.JobId), ("$now", Ms(now))).ConfigureAwait(false);
            }

            return claimed;
        }, cancellationToken);
    }

    public async Task<bool> RenewAsync(long unitId, string owner, long version, DateTimeOffset until, CancellationToken cancellationToken) =>
        await database.WriteStatementAsync(c => c.ExecuteAsync($"UPDATE job_units SET lease_until = $until WHERE {Fenced}", cancellationToken,
            ("$until", Ms(until)), ("$id", unitId), ("$o", owner), ("$v", version)), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>The unit's task count stays what discovery wrote; only the outcome counters move.</summary>
    public async Task<bool> ReportAsync(long unitId, string owner, long version, JobCounts progress, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return await database.WriteStatementAsync(c => c.ExecuteAsync($"""
            UPDATE job_units SET completed = $c, skipped = $s, failed = $f, bytes = $b, updated_at = $now WHERE {Fenced}
            """, cancellationToken, [.. Counts(progress), ("$now", Ms(now)), ("$id", unitId), ("$o", owner), ("$v", version)]), cancellationToken).ConfigureAwait(false) == 1;
    }

    public Task<bool> CompleteAsync(long unitId, string owner, long version, JobCounts final, IReadOnlyList<JobFailure> failures, int failureCap,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(final);
        ArgumentNullException.ThrowIfNull(failures);
        return database.WriteAsync(async c =>
        {
            var job = await c.ListAsync($"""
                UPDATE job_units SET state = '{Done}', owner = NULL, lease_until = NULL, completed = $c, skipped = $s, failed = $f, bytes = $b,
                    updated_at = $now WHERE {Fenced} RETURNING job_id
                """, r => r.GetInt64(0), cancellationToken, [.. Counts(final), ("$now", Ms(now)), ("$id", unitId), ("$o", owner), ("$v", version)])
                .ConfigureAwait(false);
            if (job.Count == 0)
            {
                return false;
            }

            if (failures.Count > 0)
            {
                await AppendFailuresAsync(c, job[0], failures, failureCap, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    public Task ReleaseAsync(long unitId, string owner, long version, CancellationToken cancellationToken) =>
        database.WriteStatementAsync(c => c.ExecuteAsync($"""
            UPDATE job_units SET state = '{Pending}', owner = NULL, lease_until = NULL, {Reset} WHERE {Fenced}
            """, cancellationToken, ("$id", unitId), ("$o", owner), ("$v", version)), cancellationToken);

    public async Task<IReadOnlyList<JobFailure>> ListFailuresAsync(long jobId, int offset, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("""
            SELECT job_id, item, preset, reason, detail, at FROM job_failures WHERE job_id = $j ORDER BY seq LIMIT $n OFFSET $off
            """, r => new JobFailure(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r.GetInt64(5))),
            cancellationToken, ("$j", jobId), ("$n", Math.Max(0, limit)), ("$off", Math.Max(0, offset))), cancellationToken).ConfigureAwait(false);

    /// <summary>Every running unit of a job back to pending, its counters reset (the job paused or finished).</summary>
    public static Task<int> ReleaseAllAsync(SqliteConnection c, long jobId, DateTimeOffset now, CancellationToken cancellationToken) =>
        c.ExecuteAsync($"""
            UPDATE job_units SET state = '{Pending}', owner = NULL, lease_until = NULL, {Reset}, updated_at = $now
            WHERE job_id = $j AND state = '{Running}'
            """, cancellationToken, ("$j", jobId), ("$now", Ms(now)));

    /// <summary>Units with the next sequence numbers of the job.</summary>
    public static async Task InsertAsync(SqliteConnection c, long jobId, IReadOnlyList<NewUnit> units, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var next = await c.ScalarAsync("SELECT coalesce(max(seq), -1) + 1 FROM job_units WHERE job_id = $j", cancellationToken, ("$j", jobId)).ConfigureAwait(false);
        await using var batch = new StatementBatch(c);
        foreach (var unit in units)
        {
            await batch.ExecuteAsync($"""
                INSERT INTO job_units(job_id, seq, items, tasks, state, updated_at) VALUES ($j, $seq, $items, $tasks, '{Pending}', $now)
                """, cancellationToken, ("$j", jobId), ("$seq", next++), ("$items", unit.Items), ("$tasks", unit.Tasks), ("$now", Ms(now))).ConfigureAwait(false);
        }
    }

    private static async Task AppendFailuresAsync(SqliteConnection c, long jobId, IReadOnlyList<JobFailure> failures, int cap, CancellationToken cancellationToken)
    {
        // The list is a sample: it stops at the cap, while the unit's failed counter counts every failure.
        var held = await c.ScalarAsync("SELECT count(*) FROM job_failures WHERE job_id = $j", cancellationToken, ("$j", jobId)).ConfigureAwait(false);
        await using var batch = new StatementBatch(c);
        foreach (var failure in failures.Take((int)Math.Max(0, cap - held)))
        {
            await batch.ExecuteAsync("""
                INSERT INTO job_failures(job_id, seq, item, preset, reason, detail, at) VALUES ($j, $seq, $i, $p, $r, $d, $at)
                """, cancellationToken, ("$j", jobId), ("$seq", held++), ("$i", failure.Item), ("$p", failure.Preset), ("$r", failure.Reason),
                ("$d", failure.Detail), ("$at", Ms(failure.At))).ConfigureAwait(false);
        }
    }

    private static (string Name, object? Value)[] Counts(JobCounts counts) =>
        [("$c", counts.Completed), ("$s", counts.Skipped), ("$f", counts.Failed), ("$b", counts.Bytes)];
}
