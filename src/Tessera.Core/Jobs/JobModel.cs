namespace Tessera.Core.Jobs;

/// <summary>Where a job is in its life. Queued, running and paused are active: one active job per kind and scope.</summary>
public enum JobStatus
{
    Queued,
    Running,
    Paused,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>What a job is doing: listing its work (writing units as it goes), doing the units, then tidying up.</summary>
public enum JobPhase
{
    Discovery,
    Processing,
    Cleanup,
}

/// <summary>Why a job exists.</summary>
public enum JobTrigger
{
    Manual,
    Startup,
    Schedule,
    Change,
    Webhook,
}

/// <summary>The lower-case names the API, the CLI and the index use for the enums of a job.</summary>
public static class JobNames
{
    public static string ToText(JobStatus status) => status.ToString().ToLowerInvariant();

    public static string ToText(JobPhase phase) => phase.ToString().ToLowerInvariant();

    public static string ToText(JobTrigger trigger) => trigger.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out JobStatus status) => Enum.TryParse(text, ignoreCase: true, out status) && Enum.IsDefined(status);

    public static bool TryParse(string? text, out JobPhase phase) => Enum.TryParse(text, ignoreCase: true, out phase) && Enum.IsDefined(phase);

    public static bool TryParse(string? text, out JobTrigger trigger) => Enum.TryParse(text, ignoreCase: true, out trigger) && Enum.IsDefined(trigger);

    public static bool IsActive(JobStatus status) => status is JobStatus.Queued or JobStatus.Running or JobStatus.Paused;
}

/// <summary>A job to create. <see cref="Scope"/> is the canonical text of what it covers (e.g. <c>library=photos</c>,
/// or a library plus a hash of its sorted path list): kind + scope is what duplicate refusal compares.
/// <see cref="Spec"/> is the kind's own parameters as JSON (library, paths, ids, presets, urls …), opaque to the index.</summary>
public sealed record NewJob(string Kind, string Scope, string Spec, JobTrigger Trigger, int Priority, TimeSpan? MaxRuntime, DateTimeOffset CreatedAt);

/// <summary>One job as stored. Counters are the sums over its units (each unit counts its own tasks: item × preset ×
/// format), so they never drift from the checkpoint. <see cref="Cursor"/> is discovery's resume point; the job-level
/// lease (<see cref="Owner"/>, <see cref="LeaseUntil"/>, <see cref="Version"/>) belongs to whoever runs discovery
/// and cleanup.</summary>
public sealed record JobRecord(
    long Id,
    string Kind,
    string Scope,
    string Spec,
    JobTrigger Trigger,
    JobStatus Status,
    JobPhase Phase,
    int Priority,
    JobCounts Counts,
    int Units,
    int UnitsOpen,
    string? Cursor,
    string? Error,
    TimeSpan? MaxRuntime,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    string? Owner,
    DateTimeOffset? LeaseUntil,
    long Version);

/// <summary>Task counts: total is known once discovery has written the units; done = completed + skipped + failed.</summary>
public sealed record JobCounts(long Total, long Completed, long Skipped, long Failed, long Bytes)
{
    public static JobCounts Zero { get; } = new(0, 0, 0, 0, 0);

    public long Done => Completed + Skipped + Failed;
}

/// <summary>A unit of work discovery writes: a few hundred items (paths, ids or URLs, as the kind defines) as JSON,
/// and how many tasks they make.</summary>
public sealed record NewUnit(string Items, long Tasks);

/// <summary>A unit claimed by one worker until <see cref="LeaseUntil"/>. <see cref="Version"/> fences it: every write
/// names the version it was claimed at, and a write with an older version (a worker whose lease expired and was taken
/// over) is rejected.</summary>
public sealed record UnitLease(long UnitId, long JobId, int Sequence, string Items, long Tasks, string Owner, DateTimeOffset LeaseUntil, long Version, int Attempts);

/// <summary>The job-level lease: discovery and clean-up of one job run on one worker at a time, fenced like units.</summary>
public sealed record JobLease(JobRecord Job, string Owner, DateTimeOffset LeaseUntil, long Version);

/// <summary>One task that failed within a job: the item, the preset, the reason (as the negative cache names it) and detail.</summary>
public sealed record JobFailure(long JobId, string Item, string Preset, string Reason, string Detail, DateTimeOffset At);
