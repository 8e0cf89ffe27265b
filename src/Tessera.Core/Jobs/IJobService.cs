namespace Tessera.Core.Jobs;

/// <summary>What hosts (HTTP API, CLI, triggers) do with jobs. The engine behind it runs them: discovery writes units,
/// workers claim them under leases and take encode permits at background priority.</summary>
public interface IJobService
{
    /// <summary>Creates a job, or returns the active one of the same kind and scope (<c>Created = false</c>). Throws
    /// <see cref="JobRequestException"/> for a request that names an unknown kind, library, preset or item, or is
    /// otherwise invalid (the message is safe to show a client).</summary>
    Task<(JobView Job, bool Created)> CreateAsync(JobRequest request, CancellationToken cancellationToken);

    Task<JobView?> GetAsync(long id, CancellationToken cancellationToken);

    Task<IReadOnlyList<JobView>> ListAsync(JobStatus? status, string? kind, long? beforeId, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<JobFailure>> FailuresAsync(long id, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>Pause (persisted), resume or cancel (running units stop too). Null when the job does not exist; the job
    /// unchanged when the move does not apply (e.g. resume of a completed job) — <see cref="JobControlResult.Changed"/> says which.</summary>
    Task<JobControlResult?> PauseAsync(long id, CancellationToken cancellationToken);

    Task<JobControlResult?> ResumeAsync(long id, CancellationToken cancellationToken);

    Task<JobControlResult?> CancelAsync(long id, CancellationToken cancellationToken);

    /// <summary>Progress of every job as it changes: at most a few events a second per job, and one on every status
    /// or phase change. Ends when <paramref name="cancellationToken"/> is cancelled.</summary>
    IAsyncEnumerable<JobView> WatchAsync(long? id, CancellationToken cancellationToken);
}

/// <summary>A job asked for. Kinds: <c>warm</c> (Library; optionally Paths — files or folders relative to a folder
/// library — or Ids of app items, or neither for the whole library: a folder library's files, an items-only library's
/// registered items; Presets default to all; Roles, for app items only, default to <c>cover</c>), <c>preload</c> (Urls and one
/// Preset), <c>cleanup</c> (no parameters).</summary>
public sealed record JobRequest(
    string Kind,
    string? Library = null,
    IReadOnlyList<string>? Paths = null,
    IReadOnlyList<string>? Ids = null,
    IReadOnlyList<string>? Presets = null,
    IReadOnlyList<string>? Urls = null,
    string? Preset = null,
    int Priority = 0,
    JobTrigger Trigger = JobTrigger.Manual,
    TimeSpan? MaxRuntime = null,
    IReadOnlyList<string>? Roles = null,
    string? Mode = null);

/// <summary>A job as the API shows it: the stored record plus rate (tasks/s over the recent past) and ETA.</summary>
public sealed record JobView(JobRecord Record, double Rate, TimeSpan? Eta);

public sealed record JobControlResult(JobView Job, bool Changed);

/// <summary>A job request that cannot be run; the message says why and is safe to show a client (400).</summary>
public sealed class JobRequestException : Exception
{
    public JobRequestException() { }

    public JobRequestException(string message) : base(message) { }

    public JobRequestException(string message, Exception innerException) : base(message, innerException) { }
}
