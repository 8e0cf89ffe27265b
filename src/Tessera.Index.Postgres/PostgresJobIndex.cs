using Npgsql;
using Tessera.Core.Index;
using Tessera.Core.Jobs;
using static Tessera.Index.Postgres.PostgresJobRows;

namespace Tessera.Index.Postgres;

/// <summary>Jobs shared by every replica. A job lease is claimed with <c>FOR UPDATE SKIP LOCKED</c> (two replicas
/// never wait on, nor take, the same job), creates race on the partial unique index of active jobs (one wins, the
/// other gets the winner's job), and every fenced write names owner and version in its WHERE clause. Times come from
/// the caller's clock, never the database's. Work units are <see cref="PostgresJobUnits"/>.</summary>
public sealed class PostgresJobIndex(PostgresDatabase database) : IJobIndex
{
    private const string Active = "('queued', 'running', 'paused')";
    private const string Fenced = "id = @id AND owner = @o AND version = @v AND status = 'running'";

    private readonly PostgresJobUnits _units = new(database);

    public async Task<(JobRecord Job, bool Created)> CreateJobAsync(NewJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        for (var attempt = 0; ; attempt++)
        {
            var result = await database.WriteAsync<(JobRecord?, bool)>(async c =>
            {
                var id = await c.ListAsync($"""
                    INSERT INTO jobs(kind, scope, spec, trigger, status, phase, priority, max_runtime_ms, created_at, updated_at)
                    VALUES (@k, @s, @spec, @t, 'queued', 'discovery', @p, @max, @at, @at)
                    ON CONFLICT (kind, scope) WHERE status IN {Active} DO NOTHING RETURNING id
                    """, r => r.GetInt64(0), cancellationToken, ("k", job.Kind), ("s", job.Scope), ("spec", job.Spec), ("t", JobNames.ToText(job.Trigger)),
                    ("p", job.Priority), ("max", job.MaxRuntime is { } max ? (long)max.TotalMilliseconds : null), ("at", Ms(job.CreatedAt))).ConfigureAwait(false);
                if (id.Count == 1)
                {
                    return (await ReadAsync(c, id[0], cancellationToken).ConfigureAwait(false), true);
                }

                // The active job that won; it may have finished since, and then the create is tried again.
                return (await c.FirstAsync(Select($"j.kind = @k AND j.scope = @s AND j.status IN {Active}"), Job, cancellationToken,
                    ("k", job.Kind), ("s", job.Scope)).ConfigureAwait(false), false);
            }, cancellationToken).ConfigureAwait(false);
            if (result.Item1 is { } found)
            {
                return (found, result.Item2);
            }

            if (attempt == 10)
            {
                throw new IndexException(IndexFailure.Busy, $"The job {job.Kind} ({job.Scope}) kept being created and finished by others", null);
            }
        }
    }

    public Task<JobRecord?> GetJobAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => ReadAsync(c, id, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<JobRecord>> ListJobsAsync(JobStatus? status, string? kind, long? beforeId, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync(Select("(@st::text IS NULL OR j.status = @st) AND (@k::text IS NULL OR j.kind = @k) AND (@b::bigint IS NULL OR j.id < @b)",
            "ORDER BY j.id DESC LIMIT @n"), Job, cancellationToken, ("st", status is { } s ? JobNames.ToText(s) : null), ("k", kind), ("b", beforeId),
            ("n", Math.Max(0, limit))), cancellationToken).ConfigureAwait(false);

    public Task<JobRecord?> TransitionAsync(long id, IReadOnlyCollection<JobStatus> from, JobStatus target, string? reason, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        var finished = IsFinished(target);
        var release = finished || target == JobStatus.Paused;
        var statuses = from.Select(JobNames.ToText).ToArray();
        return database.WriteAsync(async c =>
        {
            var moved = await c.ExecuteAsync("""
                UPDATE jobs SET status = @t, error = coalesce(@r, error), updated_at = @now,
                    finished_at = CASE WHEN @fin THEN @now END,
                    owner = CASE WHEN @rel THEN NULL ELSE owner END, lease_until = CASE WHEN @rel THEN NULL ELSE lease_until END
                WHERE id = @id AND status = ANY(@from)
                """, cancellationToken, ("t", JobNames.ToText(target)), ("r", reason), ("now", Ms(now)), ("fin", finished), ("rel", release),
                ("id", id), ("from", statuses)).ConfigureAwait(false);
            if (moved == 1 && release)
            {
                // A running unit's lease goes: its worker's next fenced write is rejected, and the unit is pending again.
                await PostgresJobUnits.ReleaseAllAsync(c, id, now, cancellationToken).ConfigureAwait(false);
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
                UPDATE jobs SET owner = @o, lease_until = @until, version = version + 1, status = 'running',
                    started_at = coalesce(started_at, @now), updated_at = @now
                WHERE id = (SELECT j.id FROM jobs j
                    WHERE j.status IN ('queued', 'running') AND (j.lease_until IS NULL OR j.lease_until <= @now)
                        AND (j.phase <> 'processing' OR NOT EXISTS (SELECT 1 FROM job_units u WHERE u.job_id = j.id AND u.state <> '{Done}'))
                    ORDER BY j.priority DESC, j.created_at, j.id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING id, version
                """, r => (Id: r.GetInt64(0), Version: r.GetInt64(1)), cancellationToken, ("o", owner), ("until", Ms(now + lease)),
                ("now", Ms(now))).ConfigureAwait(false);
            if (claimed.Count == 0)
            {
                return null;
            }

            var job = await ReadAsync(c, claimed[0].Id, cancellationToken).ConfigureAwait(false);
            return new JobLease(job!, owner, Time(Ms(now + lease)), claimed[0].Version);
        }, cancellationToken);
    }

    public async Task<bool> RenewJobAsync(long jobId, string owner, long version, DateTimeOffset until, CancellationToken cancellationToken) =>
        await database.StatementAsync(c => c.ExecuteAsync($"UPDATE jobs SET lease_until = @until WHERE {Fenced}", cancellationToken,
            ("until", Ms(until)), ("id", jobId), ("o", owner), ("v", version)), cancellationToken).ConfigureAwait(false) == 1;

    public Task ReleaseJobAsync(long jobId, string owner, long version, CancellationToken cancellationToken) =>
        database.StatementAsync(c => c.ExecuteAsync("UPDATE jobs SET owner = NULL, lease_until = NULL WHERE id = @id AND owner = @o AND version = @v",
            cancellationToken, ("id", jobId), ("o", owner), ("v", version)), cancellationToken);

    public Task<bool> AddUnitsAsync(long jobId, string owner, long version, IReadOnlyList<NewUnit> units, string? cursor, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(units);
        return database.WriteAsync(async c =>
        {
            // The fenced UPDATE also locks the job row, so units of one job are numbered by one writer at a time.
            if (await c.ExecuteAsync($"UPDATE jobs SET cursor = coalesce(@c, cursor), updated_at = @now WHERE {Fenced}", cancellationToken,
                ("c", cursor), ("now", Ms(now)), ("id", jobId), ("o", owner), ("v", version)).ConfigureAwait(false) != 1)
            {
                return false;
            }

            await PostgresJobUnits.InsertAsync(c, jobId, units, now, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public async Task<bool> SetPhaseAsync(long jobId, string owner, long version, JobPhase phase, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.StatementAsync(c => c.ExecuteAsync($"UPDATE jobs SET phase = @p, updated_at = @now WHERE {Fenced}", cancellationToken,
            ("p", JobNames.ToText(phase)), ("now", Ms(now)), ("id", jobId), ("o", owner), ("v", version)), cancellationToken).ConfigureAwait(false) == 1;

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
            var old = await c.ListAsync("SELECT id FROM jobs WHERE status IN ('completed', 'failed', 'cancelled') AND finished_at < @b",
                r => r.GetInt64(0), cancellationToken, ("b", Ms(before))).ConfigureAwait(false);
            var ids = old.ToArray();
            await c.ExecuteAsync("DELETE FROM job_units WHERE job_id = ANY(@ids)", cancellationToken, ("ids", ids)).ConfigureAwait(false);
            await c.ExecuteAsync("DELETE FROM job_failures WHERE job_id = ANY(@ids)", cancellationToken, ("ids", ids)).ConfigureAwait(false);
            return await c.ExecuteAsync("DELETE FROM jobs WHERE id = ANY(@ids)", cancellationToken, ("ids", ids)).ConfigureAwait(false);
        }, cancellationToken);

    private static Task<JobRecord?> ReadAsync(NpgsqlConnection c, long id, CancellationToken cancellationToken) =>
        c.FirstAsync(Select("j.id = @id"), Job, cancellationToken, ("id", id));
}
