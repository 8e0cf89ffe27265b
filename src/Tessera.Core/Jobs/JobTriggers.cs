using Microsoft.Extensions.Logging;
using Tessera.Core.Index;
using Tessera.Core.Sources;

namespace Tessera.Core.Jobs;

/// <summary>The timed triggers: each folder library warmed <see cref="JobOptions.WarmAtStart"/> after start, then
/// every <see cref="JobOptions.WarmEvery"/>; a cleanup every <see cref="JobOptions.CleanupEvery"/>. Times come from
/// the clock, so a test drives them with a fake one by calling <see cref="TickAsync"/>; a job already active for the
/// same scope is simply returned, so a slow warm is never queued twice. With a shared index (<paramref name="schedules"/>)
/// the scheduled warm and cleanup fire on one replica per period; the warm at start is each replica's own.</summary>
public sealed class JobTriggers(IJobService jobs, IReadOnlyDictionary<string, FolderLibrary> libraries, JobOptions options, TimeProvider clock,
    ILogger<JobTriggers> logger, IScheduleIndex? schedules = null)
{
    private readonly DateTimeOffset _started = clock.GetUtcNow();
    private DateTimeOffset? _nextWarm = options.WarmAtStart is { } at ? clock.GetUtcNow() + at : null;
    private DateTimeOffset? _nextScheduledWarm = options.WarmEvery is { } every ? clock.GetUtcNow() + every : null;
    private DateTimeOffset? _nextCleanup = options.CleanupEvery is { } c ? clock.GetUtcNow() + c : null;

    public DateTimeOffset Started => _started;

    /// <summary>Queues whatever is due now; returns the jobs it created or found.</summary>
    public async Task<IReadOnlyList<JobView>> TickAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var queued = new List<JobView>();
        if (_nextWarm is { } start && now >= start)
        {
            _nextWarm = null;
            queued.AddRange(await WarmAllAsync(JobTrigger.Startup, cancellationToken).ConfigureAwait(false));
        }

        if (_nextScheduledWarm is { } warm && now >= warm)
        {
            _nextScheduledWarm = Next(warm, options.WarmEvery!.Value, now);
            if (await FireAsync("warm", now, _nextScheduledWarm.Value, cancellationToken).ConfigureAwait(false))
            {
                queued.AddRange(await WarmAllAsync(JobTrigger.Schedule, cancellationToken).ConfigureAwait(false));
            }
        }

        if (_nextCleanup is { } cleanup && now >= cleanup)
        {
            _nextCleanup = Next(cleanup, options.CleanupEvery!.Value, now);
            if (await FireAsync("cleanup", now, _nextCleanup.Value, cancellationToken).ConfigureAwait(false)
                && await CreateAsync(new JobRequest("cleanup", Trigger: JobTrigger.Schedule), cancellationToken).ConfigureAwait(false) is { } view)
            {
                queued.Add(view);
            }
        }

        return queued;
    }

    /// <summary>The next time after <paramref name="now"/> on the schedule (a clock that jumped skips missed runs).</summary>
    private static DateTimeOffset Next(DateTimeOffset due, TimeSpan every, DateTimeOffset now)
    {
        var next = due + every;
        return next > now ? next : now + every;
    }

    /// <summary>True when this process fires the schedule now: always without a shared index, else when this replica
    /// moved the shared next run time first.</summary>
    private async Task<bool> FireAsync(string schedule, DateTimeOffset now, DateTimeOffset next, CancellationToken cancellationToken)
    {
        if (schedules is null)
        {
            return true;
        }

        try
        {
            return await schedules.TryFireAsync(schedule, now, next, cancellationToken).ConfigureAwait(false);
        }
        catch (IndexException e)
        {
            JobLog.TriggerFailed(logger, e.Message);
            return false;
        }
    }

    private async Task<List<JobView>> WarmAllAsync(JobTrigger trigger, CancellationToken cancellationToken)
    {
        var views = new List<JobView>();
        foreach (var name in libraries.Keys.Order(StringComparer.Ordinal))
        {
            if (await CreateAsync(new JobRequest("warm", Library: name, Trigger: trigger), cancellationToken).ConfigureAwait(false) is { } view)
            {
                views.Add(view);
            }
        }

        return views;
    }

    private async Task<JobView?> CreateAsync(JobRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return (await jobs.CreateAsync(request, cancellationToken).ConfigureAwait(false)).Job;
        }
        catch (Exception e) when (e is IndexException or JobRequestException)
        {
            JobLog.TriggerFailed(logger, e.Message);
            return null;
        }
    }
}
