using Microsoft.Extensions.Logging;
using Tessera.Core.Index;

namespace Tessera.Core.Jobs;

/// <summary>Runs one claimed unit: its items' tasks one at a time, progress stored at most once a second, the lease
/// renewed by its own timer. A lost lease, a local pause or cancel, or shutdown stops it (the unit goes back to
/// pending); the watchdog fails its remaining tasks. The completion is fenced, so a stale worker's is rejected.</summary>
public sealed class UnitWorker(IJobIndex index, JobKinds kinds, JobSignals signals, JobOptions options, TimeProvider clock, ILogger<UnitWorker> logger)
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(1);

    /// <summary>Runs the unit; true when its completion was stored.</summary>
    public async Task<bool> RunAsync(UnitLease unit, string owner, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var job = await index.GetJobAsync(unit.JobId, stopping).ConfigureAwait(false);
        if (job is null)
        {
            return false;
        }

        IJobRun run;
        try
        {
            run = kinds.Get(job.Kind).Open(job);
        }
        catch (Exception e) when (e is JobRequestException or IOException or ArgumentException)
        {
            await FailJobAsync(job, e.Message).ConfigureAwait(false);
            return false;
        }

        var tally = new UnitTally(unit.JobId, unit.Tasks, clock);
        var watchdogFired = false;
        await using var keeper = new LeaseKeeper(options.LeaseTime, clock, async ct =>
        {
            if (clock.GetUtcNow() - tally.LastFinished > options.Watchdog)
            {
                watchdogFired = true;
                return false;
            }

            return await index.RenewUnitAsync(unit.UnitId, owner, unit.Version, clock.GetUtcNow() + options.LeaseTime, ct).ConfigureAwait(false);
        }, stopping);
        using var tracked = signals.Track(unit.JobId, keeper.Stop);
        var lastReport = clock.GetUtcNow();
        try
        {
            foreach (var item in JobSpec.ParseItems(unit.Items))
            {
                tally.StartItem(item, run.TasksPerItem);
                try
                {
                    await foreach (var outcome in run.ProcessAsync(item, keeper.Token).ConfigureAwait(false))
                    {
                        tally.Add(outcome);
                        if (clock.GetUtcNow() - lastReport >= ReportEvery)
                        {
                            lastReport = clock.GetUtcNow();
                            await index.ReportUnitAsync(unit.UnitId, owner, unit.Version, tally.Counts, lastReport, keeper.Token).ConfigureAwait(false);
                        }
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException && !IsFatal(e) && e is not IndexException)
                {
                    tally.FailRestOfItem("error", e.Message);
                }

                tally.FailRestOfItem("error", "the item gave fewer outcomes than its tasks");
            }
        }
        catch (OperationCanceledException) when (keeper.Token.IsCancellationRequested)
        {
            if (!watchdogFired)
            {
                // Shutdown, a pause or cancel, or a lost lease: the unit goes back (a no-op when it is not ours).
                await index.ReleaseUnitAsync(unit.UnitId, owner, unit.Version, CancellationToken.None).ConfigureAwait(false);
                if (!stopping.IsCancellationRequested)
                {
                    JobLog.LeaseLost(logger, unit.JobId, unit.UnitId);
                }

                return false;
            }

            JobLog.Watchdog(logger, unit.JobId, unit.UnitId, options.Watchdog, unit.Tasks - tally.Counts.Done);
            tally.FailRest("watchdog", $"no task finished for {options.Watchdog}");
        }

        var stored = await index.CompleteUnitAsync(unit.UnitId, owner, unit.Version, tally.Counts, tally.Failures, options.FailureSample,
            clock.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        if (!stored)
        {
            JobLog.LeaseLost(logger, unit.JobId, unit.UnitId);
        }

        return stored;
    }

    private async Task FailJobAsync(JobRecord job, string reason)
    {
        var failed = await index.TransitionAsync(job.Id, [JobStatus.Queued, JobStatus.Running], JobStatus.Failed, reason, clock.GetUtcNow(),
            CancellationToken.None).ConfigureAwait(false);
        if (failed?.Status == JobStatus.Failed)
        {
            JobLog.JobFailed(logger, job.Id, reason);
        }
    }

    private static bool IsFatal(Exception e) => e is OutOfMemoryException or InsufficientExecutionStackException;
}
