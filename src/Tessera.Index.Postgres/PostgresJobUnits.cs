using Npgsql;
using Tessera.Core.Jobs;
using static Tessera.Index.Postgres.PostgresJobRows;

namespace Tessera.Index.Postgres;

/// <summary>The work units of jobs, claimed by workers on any replica: the claim picks a unit with
/// <c>FOR UPDATE SKIP LOCKED</c>, so concurrent claimers never take (or wait for) the same unit. Every later write
/// names the owner and version it claimed with, and a unit whose lease was released or taken over rejects it. The
/// per-job limit counts leases committed before the claim: claims racing on one job may pass it by one each.</summary>
internal sealed class PostgresJobUnits(PostgresDatabase database)
{
    private const string Fenced = $"id = @id AND owner = @o AND version = @v AND state = '{Running}'";
    private const string Reset = "completed = 0, skipped = 0, failed = 0, bytes = 0";

    public Task<UnitLease?> ClaimAsync(string owner, DateTimeOffset now, TimeSpan lease, int perJobLimit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return database.WriteAsync(async c =>
        {
            var claimed = await c.FirstAsync($"""
                UPDATE job_units SET state = '{Running}', owner = @o, lease_until = @until, version = version + 1, attempts = attempts + 1,
                    {Reset}, updated_at = @now
                WHERE id = (SELECT u.id FROM jobs j JOIN job_units u ON u.job_id = j.id
                    WHERE j.status IN ('queued', 'running') AND j.phase IN ('discovery', 'processing')
                        AND (u.state = '{Pending}' OR (u.state = '{Running}' AND u.lease_until <= @now))
                        AND (SELECT count(*) FROM job_units l WHERE l.job_id = j.id AND l.state = '{Running}' AND l.lease_until > @now) < @limit
                    ORDER BY j.priority DESC, j.created_at, j.id, u.seq LIMIT 1 FOR UPDATE OF u SKIP LOCKED)
                RETURNING id, job_id, seq, items, tasks, owner, lease_until, version, attempts
                """, r => new UnitLease(r.GetInt64(0), r.GetInt64(1), r.GetInt32(2), r.GetString(3), r.GetInt64(4), r.GetString(5),
                    Time(r.GetInt64(6)), r.GetInt64(7), r.GetInt32(8)),
                cancellationToken, ("o", owner), ("until", Ms(now + lease)), ("now", Ms(now)), ("limit", (long)perJobLimit)).ConfigureAwait(false);
            if (claimed is not null)
            {
                await c.ExecuteAsync("""
                    UPDATE jobs SET status = 'running', started_at = coalesce(started_at, @now), updated_at = @now WHERE id = @j AND status = 'queued'
                    """, cancellationToken, ("j", claimed.JobId), ("now", Ms(now))).ConfigureAwait(false);
            }

            return claimed;
        }, cancellationToken);
    }

    public async Task<bool> RenewAsync(long unitId, string owner, long version, DateTimeOffset until, CancellationToken cancellationToken) =>
        await database.StatementAsync(c => c.ExecuteAsync($"UPDATE job_units SET lease_until = @until WHERE {Fenced}", cancellationToken,
            ("until", Ms(until)), ("id", unitId), ("o", owner), ("v", version)), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>The unit's task count stays what discovery wrote; only the outcome counters move.</summary>
    public async Task<bool> ReportAsync(long unitId, string owner, long version, JobCounts progress, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return await database.StatementAsync(c => c.ExecuteAsync($"""
            UPDATE job_units SET completed = @c, skipped = @s, failed = @f, bytes = @b, updated_at = @now WHERE {Fenced}
            """, cancellationToken, [.. Counts(progress), ("now", Ms(now)), ("id", unitId), ("o", owner), ("v", version)]), cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    public Task<bool> CompleteAsync(long unitId, string owner, long version, JobCounts final, IReadOnlyList<JobFailure> failures, int failureCap,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(final);
        ArgumentNullException.ThrowIfNull(failures);
        return database.WriteAsync(async c =>
        {
            if (failures.Count > 0)
            {
                // The job row first (as a transition takes it): completions appending failures to one job number them in turn.
                await c.ExecuteAsync("SELECT 1 FROM jobs WHERE id = (SELECT job_id FROM job_units WHERE id = @id) FOR UPDATE", cancellationToken,
                    ("id", unitId)).ConfigureAwait(false);
            }

            var job = await c.ListAsync($"""
                UPDATE job_units SET state = '{Done}', owner = NULL, lease_until = NULL, completed = @c, skipped = @s, failed = @f, bytes = @b,
                    updated_at = @now WHERE {Fenced} RETURNING job_id
                """, r => r.GetInt64(0), cancellationToken, [.. Counts(final), ("now", Ms(now)), ("id", unitId), ("o", owner), ("v", version)])
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
        database.StatementAsync(c => c.ExecuteAsync($"""
            UPDATE job_units SET state = '{Pending}', owner = NULL, lease_until = NULL, {Reset} WHERE {Fenced}
            """, cancellationToken, ("id", unitId), ("o", owner), ("v", version)), cancellationToken);

    public async Task<IReadOnlyList<JobFailure>> ListFailuresAsync(long jobId, int offset, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("""
            SELECT job_id, item, preset, reason, detail, at FROM job_failures WHERE job_id = @j ORDER BY seq LIMIT @n OFFSET @off
            """, r => new JobFailure(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r.GetInt64(5))),
            cancellationToken, ("j", jobId), ("n", Math.Max(0, limit)), ("off", Math.Max(0, offset))), cancellationToken).ConfigureAwait(false);

    /// <summary>Every running unit of a job back to pending, its counters reset (the job paused or finished).</summary>
    public static Task<int> ReleaseAllAsync(NpgsqlConnection c, long jobId, DateTimeOffset now, CancellationToken cancellationToken) =>
        c.ExecuteAsync($"""
            UPDATE job_units SET state = '{Pending}', owner = NULL, lease_until = NULL, {Reset}, updated_at = @now
            WHERE job_id = @j AND state = '{Running}'
            """, cancellationToken, ("j", jobId), ("now", Ms(now)));

    /// <summary>Units with the next sequence numbers of the job, in one statement (the caller holds the job row).</summary>
    public static async Task InsertAsync(NpgsqlConnection c, long jobId, IReadOnlyList<NewUnit> units, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (units.Count == 0)
        {
            return;
        }

        await c.ExecuteAsync($"""
            INSERT INTO job_units(job_id, seq, items, tasks, state, updated_at)
            SELECT @j, (SELECT coalesce(max(seq), -1) FROM job_units WHERE job_id = @j) + x.n::integer, x.items, x.tasks, '{Pending}', @now
            FROM unnest(@items, @tasks) WITH ORDINALITY AS x(items, tasks, n)
            """, cancellationToken, ("j", jobId), ("items", units.Select(u => u.Items).ToArray()), ("tasks", units.Select(u => u.Tasks).ToArray()),
            ("now", Ms(now))).ConfigureAwait(false);
    }

    private static async Task AppendFailuresAsync(NpgsqlConnection c, long jobId, IReadOnlyList<JobFailure> failures, int cap, CancellationToken cancellationToken)
    {
        // The list is a sample: it stops at the cap, while the unit's failed counter counts every failure.
        var held = await c.ScalarAsync("SELECT count(*) FROM job_failures WHERE job_id = @j", cancellationToken, ("j", jobId)).ConfigureAwait(false);
        var taken = failures.Take((int)Math.Max(0, cap - held)).ToList();
        if (taken.Count == 0)
        {
            return;
        }

        await c.ExecuteAsync("""
            INSERT INTO job_failures(job_id, seq, item, preset, reason, detail, at)
            SELECT @j, @held + x.n::integer - 1, x.item, x.preset, x.reason, x.detail, x.at
            FROM unnest(@items, @presets, @reasons, @details, @ats) WITH ORDINALITY AS x(item, preset, reason, detail, at, n)
            """, cancellationToken, ("j", jobId), ("held", (int)held), ("items", taken.Select(f => f.Item).ToArray()),
            ("presets", taken.Select(f => f.Preset).ToArray()), ("reasons", taken.Select(f => f.Reason).ToArray()),
            ("details", taken.Select(f => f.Detail).ToArray()), ("ats", taken.Select(f => Ms(f.At)).ToArray())).ConfigureAwait(false);
    }

    private static (string Name, object? Value)[] Counts(JobCounts counts) =>
        [("c", counts.Completed), ("s", counts.Skipped), ("f", counts.Failed), ("b", counts.Bytes)];
}
