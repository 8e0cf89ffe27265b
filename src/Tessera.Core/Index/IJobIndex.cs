using Tessera.Core.Jobs;

namespace Tessera.Core.Index;

/// <summary>Durable jobs and their work units: the checkpoint of every background job. Portable by design (SQLite
/// now, PostgreSQL with the replicas): every claim is one conditional UPDATE, every fenced write checks owner and
/// version in its WHERE clause, and times are passed in by the caller (never the database's clock), so a fake clock
/// drives leases in tests.
/// <para>Units are written by discovery as it goes and claimed by any worker; a unit's counters are reset when it
/// is claimed again after a lost lease, so at most one unit of work is redone and never double-counted.</para></summary>
public interface IJobIndex
{
    /// <summary>Creates a queued job, or returns the active job (queued, running or paused) of the same kind and
    /// scope with <c>Created = false</c>. Atomic: two racing creates give one job.</summary>
    Task<(JobRecord Job, bool Created)> CreateJobAsync(NewJob job, CancellationToken cancellationToken);

    Task<JobRecord?> GetJobAsync(long id, CancellationToken cancellationToken);

    /// <summary>Jobs newest first (by id), optionally of one status and/or kind, ids below <paramref name="beforeId"/>.</summary>
    Task<IReadOnlyList<JobRecord>> ListJobsAsync(JobStatus? status, string? kind, long? beforeId, int limit, CancellationToken cancellationToken);

    /// <summary>Moves a job to <paramref name="target"/> if its status is one of <paramref name="from"/>; returns the job
    /// after (changed or not), or null when it does not exist. Moving to a finished status (completed, failed, cancelled)
    /// sets the finish time, clears the job lease and releases every unit lease of the job (running units' next
    /// fenced write is rejected); moving to paused releases unit leases too, so units stay pending. <paramref name="reason"/>
    /// is stored as the job's error when given.</summary>
    Task<JobRecord?> TransitionAsync(long id, IReadOnlyCollection<JobStatus> from, JobStatus target, string? reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Claims the job-level lease of the highest-priority (then oldest) queued or running job whose lease is
    /// free or expired at <paramref name="now"/> and whose phase is discovery, or whose phase is processing with no
    /// open unit left (so it can move on to clean-up), or cleanup; a queued job becomes running (start time set).
    /// Bumps the version. Null when none.</summary>
    Task<JobLease?> ClaimJobAsync(string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Extends a job lease; false when it is no longer ours (version moved, job finished or paused).</summary>
    Task<bool> RenewJobAsync(long jobId, string owner, long version, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Gives a job lease back (shutdown, pause) without finishing the job.</summary>
    Task ReleaseJobAsync(long jobId, string owner, long version, CancellationToken cancellationToken);

    /// <summary>Appends units and moves discovery's cursor in one transaction, fenced by the job lease: false (and
    /// nothing written) when the lease is not ours any more. Units get consecutive sequence numbers; a null
    /// <paramref name="cursor"/> keeps the last one.</summary>
    Task<bool> AddUnitsAsync(long jobId, string owner, long version, IReadOnlyList<NewUnit> units, string? cursor, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Sets the phase, fenced by the job lease.</summary>
    Task<bool> SetPhaseAsync(long jobId, string owner, long version, JobPhase phase, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Claims one pending unit, or one whose lease expired, of a queued or running job (in discovery or
    /// processing; the claim makes a queued job running, so a job resumed as queued in processing goes on):
    /// highest job priority first, then oldest job, then unit sequence. Only jobs with fewer than
    /// <paramref name="perJobLimit"/> units leased now are considered (per-job concurrency). Bumps the unit's version and
    /// attempts, resets its counters. Null when none.</summary>
    Task<UnitLease?> ClaimUnitAsync(string owner, DateTimeOffset now, TimeSpan lease, int perJobLimit, CancellationToken cancellationToken);

    /// <summary>Extends a unit lease; false when it is no longer ours.</summary>
    Task<bool> RenewUnitAsync(long unitId, string owner, long version, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Stores a unit's progress so far (fenced), so the job's counters move while the unit runs.</summary>
    Task<bool> ReportUnitAsync(long unitId, string owner, long version, JobCounts progress, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Finishes a unit (fenced): its final counters, and failures appended to the job's failure list while the
    /// list holds fewer than <paramref name="failureCap"/> rows (the failed counter counts them all). False, and
    /// nothing written, when the lease is not ours any more.</summary>
    Task<bool> CompleteUnitAsync(long unitId, string owner, long version, JobCounts final, IReadOnlyList<JobFailure> failures, int failureCap,
        DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives a unit back as pending (shutdown, pause, cancel of the worker), fenced; its counters reset.</summary>
    Task ReleaseUnitAsync(long unitId, string owner, long version, CancellationToken cancellationToken);

    /// <summary>A job's failures in the order they were recorded, paged.</summary>
    Task<IReadOnlyList<JobFailure>> ListFailuresAsync(long jobId, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes finished jobs (with their units and failures) that finished before <paramref name="before"/>.</summary>
    Task<int> PruneJobsAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
