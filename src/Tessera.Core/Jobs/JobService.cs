using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Tessera.Core.Index;

namespace Tessera.Core.Jobs;

/// <summary>The <see cref="IJobService"/> hosts use: requests validated by their kind and stored (or the active job
/// of the same scope returned), controls applied in the index and signalled to this process's workers at once.</summary>
public sealed class JobService(IJobIndex index, JobKinds kinds, JobRates rates, JobSignals signals, TimeProvider clock, ILogger<JobService> logger)
    : IJobService
{
    private static readonly TimeSpan WatchEvery = TimeSpan.FromMilliseconds(300);
    private static readonly JobStatus[] Active = [JobStatus.Queued, JobStatus.Running, JobStatus.Paused];

    public async Task<(JobView Job, bool Created)> CreateAsync(JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MaxRuntime is { } max && max <= TimeSpan.Zero)
        {
            throw new JobRequestException("maxRuntime must be positive");
        }

        var kind = kinds.Get(request.Kind ?? string.Empty);
        return await StoreAsync(kind.Name, kind.Define(request), request.Trigger, request.Priority, request.MaxRuntime, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores a job already defined by its kind (the CLI's folder warm goes this way).</summary>
    public async Task<(JobView Job, bool Created)> StoreAsync(string kind, JobDefinition definition, JobTrigger trigger, int priority, TimeSpan? maxRuntime,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var (job, created) = await index.CreateJobAsync(new NewJob(kind, definition.Scope, definition.Spec, trigger, priority, maxRuntime, clock.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);
        if (created)
        {
            JobLog.Queued(logger, job.Id, kind, job.Scope, trigger);
            signals.Wake();
        }

        return (rates.View(job), created);
    }

    public async Task<JobView?> GetAsync(long id, CancellationToken cancellationToken) =>
        await index.GetJobAsync(id, cancellationToken).ConfigureAwait(false) is { } job ? rates.View(job) : null;

    public async Task<IReadOnlyList<JobView>> ListAsync(JobStatus? status, string? kind, long? beforeId, int limit, CancellationToken cancellationToken) =>
        [.. (await index.ListJobsAsync(status, kind, beforeId, limit, cancellationToken).ConfigureAwait(false)).Select(rates.View)];

    public Task<IReadOnlyList<JobFailure>> FailuresAsync(long id, int offset, int limit, CancellationToken cancellationToken) =>
        index.ListFailuresAsync(id, offset, limit, cancellationToken);

    public Task<JobControlResult?> PauseAsync(long id, CancellationToken cancellationToken) =>
        MoveAsync(id, [JobStatus.Queued, JobStatus.Running], JobStatus.Paused, cancellationToken);

    public async Task<JobControlResult?> ResumeAsync(long id, CancellationToken cancellationToken)
    {
        // A job that had started goes on running (its open units are claimed again); one paused while queued queues.
        if (await index.GetJobAsync(id, cancellationToken).ConfigureAwait(false) is not { } job)
        {
            return null;
        }

        var target = job.StartedAt is null ? JobStatus.Queued : JobStatus.Running;
        var result = await MoveAsync(id, [JobStatus.Paused], target, cancellationToken).ConfigureAwait(false);
        signals.Wake();
        return result;
    }

    public Task<JobControlResult?> CancelAsync(long id, CancellationToken cancellationToken) =>
        MoveAsync(id, [JobStatus.Queued, JobStatus.Running, JobStatus.Paused], JobStatus.Cancelled, cancellationToken);

    private async Task<JobControlResult?> MoveAsync(long id, JobStatus[] from, JobStatus target, CancellationToken cancellationToken)
    {
        var before = await index.GetJobAsync(id, cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return null;
        }

        var after = await index.TransitionAsync(id, from, target, null, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (after is null)
        {
            return null;
        }

        var changed = before.Status != after.Status && after.Status == target;
        if (changed && target is JobStatus.Paused or JobStatus.Cancelled)
        {
            signals.Stop(id);
        }

        return new JobControlResult(rates.View(after), changed);
    }

    public async IAsyncEnumerable<JobView> WatchAsync(long? id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = new Dictionary<long, JobRecord>();
        long? newest = null; // the newest job when watching began, then at each poll: a job created and finished between two polls is still reported
        using var timer = new PeriodicTimer(WatchEvery, clock);
        do
        {
            IReadOnlyList<JobRecord> jobs;
            try
            {
                jobs = await CurrentAsync(id, last.Keys, cancellationToken).ConfigureAwait(false);
                if (id is null)
                {
                    (jobs, newest) = await WithNewAsync(jobs, newest, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (IndexException)
            {
                continue; // a bad moment of the index: the next poll tries again
            }

            foreach (var job in jobs)
            {
                if (!last.TryGetValue(job.Id, out var seen) || Changed(seen, job))
                {
                    last[job.Id] = job;
                    yield return rates.View(job);
                }

                if (!JobNames.IsActive(job.Status))
                {
                    last.Remove(job.Id);
                }
            }
        }
        while (await WaitAsync(timer, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The watched job, or every active job plus those seen active last time (so their finish is reported).</summary>
    private async Task<IReadOnlyList<JobRecord>> CurrentAsync(long? id, IEnumerable<long> seen, CancellationToken cancellationToken)
    {
        if (id is { } one)
        {
            return await index.GetJobAsync(one, cancellationToken).ConfigureAwait(false) is { } job ? [job] : [];
        }

        var jobs = new Dictionary<long, JobRecord>();
        foreach (var status in Active)
        {
            foreach (var job in await index.ListJobsAsync(status, null, null, 500, cancellationToken).ConfigureAwait(false))
            {
                jobs[job.Id] = job;
            }
        }

        foreach (var missing in seen.Where(s => !jobs.ContainsKey(s)).ToList())
        {
            if (await index.GetJobAsync(missing, cancellationToken).ConfigureAwait(false) is { } job)
            {
                jobs[job.Id] = job;
            }
        }

        return [.. jobs.Values.OrderBy(j => j.Id)];
    }

    /// <summary><paramref name="jobs"/> plus every job created since <paramref name="newest"/> (none on the first poll,
    /// which only notes the newest id), whatever its status; and the newest id now.</summary>
    private async Task<(IReadOnlyList<JobRecord> Jobs, long? Newest)> WithNewAsync(IReadOnlyList<JobRecord> jobs, long? newest,
        CancellationToken cancellationToken)
    {
        var recent = await index.ListJobsAsync(null, null, null, 100, cancellationToken).ConfigureAwait(false);
        var top = recent.Count == 0 ? newest ?? 0 : Math.Max(newest ?? 0, recent.Max(j => j.Id));
        if (newest is not { } since)
        {
            return (jobs, top);
        }

        var known = jobs.Select(j => j.Id).ToHashSet();
        var added = recent.Where(j => j.Id > since && !known.Contains(j.Id)).ToList();
        return added.Count == 0 ? (jobs, top) : ([.. jobs.Concat(added).OrderBy(j => j.Id)], top);
    }

    private static bool Changed(JobRecord seen, JobRecord now) =>
        seen.Status != now.Status || seen.Phase != now.Phase || seen.Counts != now.Counts || seen.Units != now.Units;

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
