using Microsoft.Extensions.Logging;
using Tessera.Core.Index;

namespace Tessera.Core.Jobs;

/// <summary>Runs the job-level phases under the job lease: discovery writes units as it goes (the cursor moves with
/// each batch, in the same fenced transaction), then, once no unit is open, clean-up and completion.</summary>
public sealed class JobCoordinator(IJobIndex index, JobKinds kinds, JobSignals signals, JobOptions options, TimeProvider clock, ILogger<JobCoordinator> logger)
{
    /// <summary>Runs one claimed job as far as it can go now.</summary>
    public async Task RunAsync(JobLease lease, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var job = lease.Job;
        IJobRun run;
        try
        {
            run = kinds.Get(job.Kind).Open(job);
        }
        catch (Exception e) when (e is JobRequestException or IOException or ArgumentException)
        {
            await FinishAsync(job, JobStatus.Failed, e.Message).ConfigureAwait(false);
            return;
        }

        await using var keeper = new LeaseKeeper(options.LeaseTime, clock,
            ct => index.RenewJobAsync(job.Id, lease.Owner, lease.Version, clock.GetUtcNow() + options.LeaseTime, ct), stopping);
        using var tracked = signals.Track(job.Id, keeper.Stop);
        try
        {
            var phase = job.Phase;
            if (phase == JobPhase.Discovery)
            {
                if (!await DiscoverAsync(job, lease, run, keeper.Token).ConfigureAwait(false))
                {
                    return;
                }

                // Units are being worked on; the job is claimed again for clean-up once none is open.
                await index.ReleaseJobAsync(job.Id, lease.Owner, lease.Version, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            if (phase == JobPhase.Processing && !await index.SetPhaseAsync(job.Id, lease.Owner, lease.Version, JobPhase.Cleanup, clock.GetUtcNow(), keeper.Token).ConfigureAwait(false))
            {
                return;
            }

            await run.CleanupAsync(keeper.Token).ConfigureAwait(false);
            await FinishAsync(job, JobStatus.Completed, null).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (keeper.Token.IsCancellationRequested)
        {
            await index.ReleaseJobAsync(job.Id, lease.Owner, lease.Version, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JobRequestException)
        {
            await FinishAsync(job, JobStatus.Failed, e.Message).ConfigureAwait(false);
        }
    }

    /// <summary>Writes units of <see cref="JobOptions.UnitSize"/> items from the cursor on; false when the lease was lost.</summary>
    private async Task<bool> DiscoverAsync(JobRecord job, JobLease lease, IJobRun run, CancellationToken cancellationToken)
    {
        var batch = new List<string>(options.UnitSize);
        string? cursor = null;
        await foreach (var found in run.DiscoverAsync(job.Cursor, cancellationToken).ConfigureAwait(false))
        {
            batch.Add(found.Item);
            cursor = found.Cursor;
            if (batch.Count == options.UnitSize && !await AddAsync(batch, cursor).ConfigureAwait(false))
            {
                return false;
            }
        }

        if (batch.Count > 0 && !await AddAsync(batch, cursor).ConfigureAwait(false))
        {
            return false;
        }

        return await index.SetPhaseAsync(job.Id, lease.Owner, lease.Version, JobPhase.Processing, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);

        async Task<bool> AddAsync(List<string> items, string? at)
        {
            var unit = new NewUnit(JobSpec.Items(run.Arrange(items)), (long)items.Count * run.TasksPerItem);
            var added = await index.AddUnitsAsync(job.Id, lease.Owner, lease.Version, [unit], at, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            items.Clear();
            signals.Wake();
            return added;
        }
    }

    /// <summary>Fails running jobs past their maximum runtime ("max runtime"); their work here stops at once.</summary>
    public async Task EnforceMaxRuntimeAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var job in await index.ListJobsAsync(JobStatus.Running, null, null, 1000, cancellationToken).ConfigureAwait(false))
        {
            if (job is { MaxRuntime: { } max, StartedAt: { } started } && now - started > max)
            {
                await FinishAsync(job, JobStatus.Failed, "max runtime").ConfigureAwait(false);
            }
        }
    }

    private async Task FinishAsync(JobRecord job, JobStatus status, string? reason)
    {
        var after = await index.TransitionAsync(job.Id, [JobStatus.Queued, JobStatus.Running], status, reason, clock.GetUtcNow(), CancellationToken.None)
            .ConfigureAwait(false);
        signals.Stop(job.Id);
        signals.Wake(); // who waits for the job here (the CLI's warm) learns at once that it ended
        if (after?.Status == status)
        {
            if (status == JobStatus.Failed)
            {
                JobLog.JobFailed(logger, job.Id, reason ?? "failed");
            }
            else
            {
                JobLog.Finished(logger, job.Id, job.Kind, status);
            }
        }
    }
}
