using Tessera.Core.Index;
using Tessera.Core.Jobs;
using static Tessera.Index.Sqlite.SqliteJobRows;

namespace Tessera.Index.Sqlite;

/// <summary>Jobs in the index file, so they are in every <c>tessera backup</c>; an index that is lost (deleted, or
/// damaged and set aside) loses its jobs with it, which is acceptable: folder libraries are warmed again by the
/// start-up trigger, and a job asked for by hand is asked again. Every write that claims or is fenced runs in one
/// BEGIN IMMEDIATE transaction, so it holds against other processes on the same file too. Work units are
/// <see cref="SqliteJobUnits"/>.</summary>
public sealed class SqliteJobIndex(SqliteDatabase database) : IJobIndex
{
    private const string Active = "('queued', 'running', 'paused')";
    private const string Fenced = "id = $id AND owner = $o AND version = $v AND status = 'running'";

    private readonly SqliteJobUnits _units = new(database);

    public Task<(JobRecord Job, bool Created)> CreateJobAsync(NewJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return database.WriteAsync<(JobRecord, bool)>(async c =>
        {
            // Inside BEGIN IMMEDIATE nobody else writes between the look and the insert; the partial unique index
            // jobs_active would refuse a second active row anyway.
            var existing = await c.FirstAsync(Select($"j.kind = $k AND j.scope = $s AND j.status IN {Active}"), Job, cancellationToken,
                ("$k", job.Kind), ("$s", job.Scope)).ConfigureAwait(false);
            if (existing is not null)
            {
                return (existing, false);
            }

            var id = await c.ScalarAsync("""
                INSERT INTO jobs(kind, scope, spec, trigger, status, phase, priority, max_runtime_ms, created_at, updated_at)
                VALUES ($k, $s, $spec, $t, 'queued', 'discovery', $p, $max, $at, $at) RETURNING id
                """, cancellationToken, ("$k", job.Kind), ("$s", job.Scope), ("$spec", job.Spec), ("$t", JobNames.ToText(job.Trigger)),
                ("$p", job.Priority), ("$max", job.MaxRuntime is { } max ? (long)max.TotalMilliseconds : null), ("$at", Ms(job.CreatedAt))).ConfigureAwait(false);
            return ((await ReadAsync(c, id, cancellationToken).ConfigureAwait(false))!, true);
        }, cancellationToken);
    }

    public Task<JobRecord?> GetJobAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => ReadAsync(c, id, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<JobRecord>> ListJobsAsync(JobStatus? status, string? kind, long? beforeId, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync(Select("($st IS NULL OR j.status = $st) AND ($k IS NULL OR j.kind = $k) AND ($b IS NULL OR j.id < $b)",
            "ORDER BY j.id DESC LIMIT $n"), Job, cancellationToken, ("$st", status is { } s ? JobNames.ToText(s) : null), ("$k", kind), ("$b", beforeId),
            ("$n", Math.Max(0, limit))), cancellationToken).ConfigureAwait(false);

    public Task<JobRecord?> TransitionAsync(long id, IReadOnlyCollection<JobStatus> from, JobStatus target, string? reason, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        var finished = IsFinished(target);
        var release = finished || target == JobStatus.Paused;
        var statuses = from.Select((s, i) => ($"$f{i}", (object?)JobNames.ToText(s))).ToList();
        return database.WriteAsync(async c =>
        {
            if (statuses.Count > 0)
            {
                var moved = await c.ExecuteAsync($"""
                    UPDATE jobs SET status = $t, error = coalesce($r, error), updated_at = $now,
                        finished_at = CASE WHEN $fin THEN $now END,
                        owner = CASE WHEN $rel THEN NULL ELSE owner END, lease_until = CASE WHEN $rel THEN NULL ELSE lease_until END
                    WHERE id = $id AND status IN ({string.Join(", ", statuses.Select(s => s.Item1))})
                    """, cancellationToken, [("$t", JobNames.ToText(target)), ("$r", reason), ("$now", Ms(now)), ("$fin", finished), ("$rel", release),
                    ("$id", id), .. statuses]).ConfigureAwait(false);
                if (moved == 1 && release)
                {
                    // A running unit's lease goes: its worker's next fenced write is rejected, and the unit is pending again.
                    await SqliteJobUnits.ReleaseAllAsync(c, id, now, cancellationToken).ConfigureAwait(false);
                }
            }

            return await ReadAsync(c, id, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<JobLease?> ClaimJobAsync(string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return database.WriteAsync(async c =>
        {
            var claimed = await c.ListAsync($"""
                UPDATE jobs SET owner = $o, lease_until = $until, version = version + 1, status = 'running',
                    started_at = coalesce(started_at, $now), updated_at = $now
                WHERE id = (SELECT j.id FROM jobs j
                    WHERE j.status IN ('queued', 'running') AND (j.lease_until IS NULL OR j.lease_until <= $now)
                        AND (j.phase <> 'processing' OR NOT EXISTS (SELECT 1 FROM job_units u WHERE u.job_id = j.id AND u.state <> '{Done}'))
                    ORDER BY j.priority DESC, j.created_at, j.id LIMIT 1)
                RETURNING id, version
                """, r => (Id: r.GetInt64(0), Version: r.GetInt64(1)), cancellationToken, ("$o", owner), ("$until", Ms(now + lease)),
                ("$now", Ms(now))).ConfigureAwait(false);
            if (claimed.Count == 0)
            {
                return null;
            }

            var job = await ReadAsync(c, claimed[0].Id, cancellationToken).ConfigureAwait(false);
            return new JobLease(job!, owner, Time(Ms(now + lease)), claimed[0].Version);
        }, cancellationToken);
    }

    public async Task<bool> RenewJobAsync(long jobId, string owner, long version, DateTimeOffset until, CancellationToken cancellationToken) =>
        await database.WriteStatementAsync(c => c.ExecuteAsync($"UPDATE jobs SET lease_until = $until WHERE {Fenced}", cancellationToken,
            ("$until", Ms(until)), ("$id", jobId), ("$o", owner), ("$v", version)), cancellationToken).ConfigureAwait(false) == 1;

    public Task ReleaseJobAsync(long jobId, string owner, long version, CancellationToken cancellationToken) =>
        database.WriteStatementAsync(c => c.ExecuteAsync("UPDATE jobs SET owner = NULL, lease_until = NULL WHERE id = $id AND owner = $o AND version = $v",
            cancellationToken, ("$id", jobId), ("$o", owner), ("$v", version)), cancellationToken);

    public Task<bool> AddUnitsAsync(long jobId, string owner, long version, IReadOnlyList<NewUnit> units, string? cursor, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(units);
        return database.WriteAsync(async c =>
        {
            // A null cursor leaves the last one in place.
            if (await c.ExecuteAsync($"UPDATE jobs SET cursor = coalesce($c, cursor), updated_at = $now WHERE {Fenced}", cancellationToken,
                ("$c", cursor), ("$now", Ms(now)), ("$id", jobId), ("$o", owner), ("$v", version)).ConfigureAwait(false) != 1)
            {
                return false;
            }

            await SqliteJobUnits.InsertAsync(c, jobId, units, now, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public async Task<bool> SetPhaseAsync(long jobId, string owner, long version, JobPhase phase, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.WriteStatementAsync(c => c.ExecuteAsync($"UPDATE jobs SET phase = $p, updated_at = $now WHERE {Fenced}", cancellationToken,
            ("$p", JobNames.ToText(phase)), ("$now", Ms(now)), ("$id", jobId), ("$o", owner), ("$v", version)), cancellationToken).ConfigureAwait(false) == 1;

    public Task<UnitLease?> ClaimUnitAsync(string owner, DateTimeOffset now, TimeSpan lease, int perJobLimit, CancellationToken cancellationToken) =>
        _units.ClaimAsync(owner, now, lease, perJobLimit, cancellationToken);

    public Task<bool> RenewUnitAsync(long unitId, string owner, long version, DateTimeOffset until, CancellationToken cancellationToken) =>
        _units.RenewAsync(unitId, owner, version, until, cancellationToken);

    public Task<bool> ReportUnitAsync(long unitId, string owner, long version, JobCounts progress, DateTimeOffset now, CancellationToken cancellationToken) =>
        _units.ReportAsync(unitId, owner, version, progress, now, cancellationToken);

    public Task<bool> CompleteUnitAsync(long unitId, string owner, long version, JobCounts final, IReadOnlyList<JobFailure> failures, int failureCap,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        _units.CompleteAsync(unitId, owner, version, final, failures, failureCap, now, cancellationToken);

    public Task ReleaseUnitAsync(long unitId, string owner, long version, CancellationToken cancellationToken) =>
        _units.ReleaseAsync(unitId, owner, version, cancellationToken);

    public Task<IReadOnlyList<JobFailure>> ListFailuresAsync(long jobId, int offset, int limit, CancellationToken cancellationToken) =>
        _units.ListFailuresAsync(jobId, offset, limit, cancellationToken);

    public Task<int> PruneJobsAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        database.WriteAsync(async c =>
        {
            const string Old = "SELECT id FROM jobs WHERE status IN ('completed', 'failed', 'cancelled') AND finished_at < $b";
            await c.ExecuteAsync($"DELETE FROM job_units WHERE job_id IN ({Old})", cancellationToken, ("$b", Ms(before))).ConfigureAwait(false);
            await c.ExecuteAsync($"DELETE FROM job_failures WHERE job_id IN ({Old})", cancellationToken, ("$b", Ms(before))).ConfigureAwait(false);
            return await c.ExecuteAsync($"DELETE FROM jobs WHERE id IN ({Old})", cancellationToken, ("$b", Ms(before))).ConfigureAwait(false);
        }, cancellationToken);

    private static Task<JobRecord?> ReadAsync(Microsoft.Data.Sqlite.SqliteConnection c, long id, CancellationToken cancellationToken) =>
        c.FirstAsync(Select("j.id = $id"), Job, cancellationToken, ("$id", id));
}
