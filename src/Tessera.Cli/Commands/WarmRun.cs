using System.Diagnostics;
using Tessera.Core.Eviction;
using Tessera.Core.Index;
using Tessera.Core.Jobs;
using Tessera.Core.Stats;
using Tessera.Core.Warm;

namespace Tessera.Cli.Commands;

/// <summary>Runs the job engine in this process until the warm's jobs are finished, reporting their progress, then
/// gathers the summary: counters, failures (as full paths), and what eviction removed to keep the budget.</summary>
internal static class WarmRun
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private const int FailurePage = 1000;

    public static async Task<WarmSummary> RunAsync(CommandHost host, IReadOnlyList<WarmJobs.Planned> planned, IProgress<WarmProgress> progress, CancellationToken ct)
    {
        var jobs = host.Get<JobService>();
        var signals = host.Get<JobSignals>();
        var started = Stopwatch.StartNew();
        foreach (var job in planned)
        {
            await jobs.ResumeAsync(job.Id, ct); // running warm asks for the work: a job paused earlier goes on
        }

        List<JobView> views;
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var engine = host.Get<JobEngine>().RunAsync(stop.Token);
            try
            {
                views = await WaitAsync(jobs, signals, planned, progress, started, ct);
            }
            finally
            {
                await stop.CancelAsync(); // leases are given back: a warm interrupted here resumes at its next run
                await engine;
            }
        }

        if (views.FirstOrDefault(v => v.Record.Status is not JobStatus.Completed) is { } bad)
        {
            throw new InvalidOperationException($"warm job {bad.Record.Id} {JobNames.ToText(bad.Record.Status)}: {bad.Record.Error ?? "no reason given"}");
        }

        var failures = new List<WarmFailure>();
        foreach (var job in planned)
        {
            for (var offset = 0; await jobs.FailuresAsync(job.Id, offset, FailurePage, ct) is { Count: > 0 } page; offset += page.Count)
            {
                failures.AddRange(page.Select(f => new WarmFailure(job.Root is null ? f.Item : Path.Combine(job.Root, f.Item), f.Preset, f.Reason, f.Detail)));
            }
        }

        // A warm must not leave the cache over budget; the server's evictor may not be running.
        var evicted = await host.Get<Evictor>().RunOnceAsync(CancellationToken.None);
        await host.Get<RequestCounters>().FlushAsync(host.Get<IStatsIndex>(), CancellationToken.None);
        var counts = WarmJobs.Progress(views, started.Elapsed);
        return new WarmSummary(counts.Warmed, counts.Skipped, counts.Failed, started.Elapsed, failures, evicted);
    }

    private static async Task<List<JobView>> WaitAsync(JobService jobs, JobSignals signals, IReadOnlyList<WarmJobs.Planned> planned,
        IProgress<WarmProgress> progress, Stopwatch started, CancellationToken ct)
    {
        while (true)
        {
            var change = signals.Next; // taken before looking: the end of a job meanwhile is not missed
            var views = new List<JobView>();
            foreach (var job in planned)
            {
                views.Add(await jobs.GetAsync(job.Id, ct) ?? throw new InvalidOperationException($"warm job {job.Id} was deleted"));
            }

            progress.Report(WarmJobs.Progress(views, started.Elapsed));
            if (views.All(v => !JobNames.IsActive(v.Record.Status)))
            {
                return views;
            }

            if (views.FirstOrDefault(v => v.Record.Status == JobStatus.Paused) is { } paused)
            {
                throw new InvalidOperationException($"warm job {paused.Record.Id} was paused; run warm again to go on");
            }

            // The progress line every Poll; the end of a job at once (it used to wait up to a whole Poll: 50 ms of a
            // 24-photo warm's wall on average).
            await Task.WhenAny(change, Task.Delay(Poll, ct));
            ct.ThrowIfCancellationRequested();
        }
    }
}
