using Tessera.Core.Index;
using Tessera.Core.Jobs;

namespace Tessera.Tests.Index.Contracts;

public abstract class JobIndexContract<TFixture> : IndexContract<TFixture>
    where TFixture : IIndexFixture, new()
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private IJobIndex Jobs => Index.Jobs;

    private static NewJob Job(string scope = "library=photos", int priority = 0, DateTimeOffset? at = null, string kind = "warm") =>
        new(kind, scope, "{\"library\":\"photos\"}", JobTrigger.Startup, priority, TimeSpan.FromHours(2), at ?? T0);

    private static NewUnit Unit(string items, long tasks = 3) => new(items, tasks);

    /// <summary>A running job with <paramref name="units"/> units, discovery still holding the job lease.</summary>
    private async Task<JobLease> RunningAsync(int units, NewJob? job = null)
    {
        await Jobs.CreateJobAsync(job ?? Job(), default);
        var lease = (await Jobs.ClaimJobAsync("discoverer", T0, Lease, default))!;
        Assert.True(await Jobs.AddUnitsAsync(lease.Job.Id, lease.Owner, lease.Version, [.. Enumerable.Range(0, units).Select(i => Unit($"[\"u{i}\"]"))], "c1", T0, default));
        return lease;
    }

    [Fact]
    public async Task Create_RoundTrips_AndASecondActiveJobOfTheSameKindAndScope_IsRefused()
    {
        var (job, created) = await Jobs.CreateJobAsync(Job(), default);
        Assert.True(created);
        Assert.Equal(("warm", "library=photos", "{\"library\":\"photos\"}", JobTrigger.Startup, JobStatus.Queued, JobPhase.Discovery),
            (job.Kind, job.Scope, job.Spec, job.Trigger, job.Status, job.Phase));
        Assert.Equal((JobCounts.Zero, 0, 0, (TimeSpan?)TimeSpan.FromHours(2), T0, (DateTimeOffset?)null, (string?)null),
            (job.Counts, job.Units, job.UnitsOpen, job.MaxRuntime, job.CreatedAt, job.StartedAt, job.Owner));
        Assert.Equal(job, await Jobs.GetJobAsync(job.Id, default));

        var (again, createdAgain) = await Jobs.CreateJobAsync(Job() with { Trigger = JobTrigger.Manual }, default);
        Assert.False(createdAgain);
        Assert.Equal(job.Id, again.Id);
        Assert.True((await Jobs.CreateJobAsync(Job("library=films"), default)).Created);
        Assert.True((await Jobs.CreateJobAsync(Job(kind: "cleanup"), default)).Created);

        // Once the job is finished, the same kind and scope may run again.
        await Jobs.TransitionAsync(job.Id, [JobStatus.Queued], JobStatus.Cancelled, "by hand", T0, default);
        var (next, createdNext) = await Jobs.CreateJobAsync(Job(), default);
        Assert.True(createdNext);
        Assert.NotEqual(job.Id, next.Id);
        Assert.Null(await Jobs.GetJobAsync(next.Id + 100, default));
    }

    [Fact]
    public async Task ConcurrentCreates_GiveOneJob()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Jobs.CreateJobAsync(Job(), default))));
        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Job.Id).Distinct());
        Assert.Single(await Jobs.ListJobsAsync(null, null, null, 10, default));
    }

    [Fact]
    public async Task List_IsNewestFirst_FilteredByStatusAndKind_AndPagedByBeforeId()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await Jobs.CreateJobAsync(Job($"s{i}", kind: i % 2 == 0 ? "warm" : "cleanup"), default)).Job.Id);
        }

        await Jobs.TransitionAsync(ids[1], [JobStatus.Queued], JobStatus.Paused, null, T0, default);
        Assert.Equal(ids.AsEnumerable().Reverse(), (await Jobs.ListJobsAsync(null, null, null, 10, default)).Select(j => j.Id));
        Assert.Equal([ids[4], ids[3]], (await Jobs.ListJobsAsync(null, null, null, 2, default)).Select(j => j.Id));
        Assert.Equal([ids[2], ids[1]], (await Jobs.ListJobsAsync(null, null, ids[3], 2, default)).Select(j => j.Id));
        Assert.Equal([ids[4], ids[2], ids[0]], (await Jobs.ListJobsAsync(null, "warm", null, 10, default)).Select(j => j.Id));
        Assert.Equal([ids[1]], (await Jobs.ListJobsAsync(JobStatus.Paused, null, null, 10, default)).Select(j => j.Id));
        Assert.Equal([ids[3]], (await Jobs.ListJobsAsync(JobStatus.Queued, "cleanup", null, 10, default)).Select(j => j.Id));
    }

    [Fact]
    public async Task Transition_AppliesOnlyFromTheNamedStatuses_AndFinishingSetsTheTimeAndError()
    {
        var job = (await Jobs.CreateJobAsync(Job(), default)).Job;
        var unchanged = await Jobs.TransitionAsync(job.Id, [JobStatus.Paused], JobStatus.Queued, null, T0.AddSeconds(1), default);
        Assert.Equal(job, unchanged);
        Assert.Null(await Jobs.TransitionAsync(job.Id + 100, [JobStatus.Queued], JobStatus.Paused, null, T0, default));

        var failed = await Jobs.TransitionAsync(job.Id, [JobStatus.Queued, JobStatus.Running], JobStatus.Failed, "max runtime", T0.AddSeconds(2), default);
        Assert.Equal((JobStatus.Failed, "max runtime", (DateTimeOffset?)T0.AddSeconds(2), T0.AddSeconds(2)),
            (failed!.Status, failed.Error, failed.FinishedAt, failed.UpdatedAt));
    }

    [Fact]
    public async Task Pause_ReleasesUnitLeases_TheWorkerIsFenced_AndResumeLetsTheUnitsBeClaimedAgain()
    {
        var job = await RunningAsync(2);
        var unit = (await Jobs.ClaimUnitAsync("w1", T0, Lease, 4, default))!;
        Assert.True(await Jobs.ReportUnitAsync(unit.UnitId, "w1", unit.Version, new JobCounts(3, 1, 0, 0, 10), T0, default));

        var paused = (await Jobs.TransitionAsync(job.Job.Id, [JobStatus.Queued, JobStatus.Running], JobStatus.Paused, null, T0.AddSeconds(1), default))!;
        Assert.Equal((JobStatus.Paused, 2, 0L, (string?)null, (DateTimeOffset?)null), (paused.Status, paused.UnitsOpen, paused.Counts.Done, paused.Owner, paused.FinishedAt));
        Assert.False(await Jobs.RenewUnitAsync(unit.UnitId, "w1", unit.Version, T0.AddMinutes(1), default));
        Assert.False(await Jobs.CompleteUnitAsync(unit.UnitId, "w1", unit.Version, new JobCounts(3, 3, 0, 0, 30), [], 10, T0, default));
        Assert.False(await Jobs.RenewJobAsync(job.Job.Id, job.Owner, job.Version, T0.AddMinutes(1), default));
        Assert.Null(await Jobs.ClaimUnitAsync("w2", T0.AddSeconds(2), Lease, 4, default));
        Assert.Null(await Jobs.ClaimJobAsync("d2", T0.AddSeconds(2), Lease, default));

        var resumed = (await Jobs.TransitionAsync(job.Job.Id, [JobStatus.Paused], JobStatus.Running, null, T0.AddSeconds(3), default))!;
        Assert.Equal(JobStatus.Running, resumed.Status);
        var again = (await Jobs.ClaimUnitAsync("w2", T0.AddSeconds(3), Lease, 4, default))!;
        Assert.Equal((unit.UnitId, 2), (again.UnitId, again.Attempts));
        Assert.True(again.Version > unit.Version);
    }

    [Fact]
    public async Task AResumedJobResumedAsQueued_HasItsUnitsClaimed_AndBecomesRunning()
    {
        var job = await RunningAsync(1);
        Assert.True(await Jobs.SetPhaseAsync(job.Job.Id, job.Owner, job.Version, JobPhase.Processing, T0, default));
        await Jobs.TransitionAsync(job.Job.Id, [JobStatus.Running], JobStatus.Paused, null, T0, default);
        await Jobs.TransitionAsync(job.Job.Id, [JobStatus.Paused], JobStatus.Queued, null, T0, default);
        Assert.NotNull(await Jobs.ClaimUnitAsync("w", T0, Lease, 1, default));
        Assert.Equal(JobStatus.Running, (await Jobs.GetJobAsync(job.Job.Id, default))!.Status);
    }

    [Fact]
    public async Task Cancel_FinishesTheJob_FencesRunningUnits_AndNothingIsClaimedAfter()
    {
        var job = await RunningAsync(3);
        var unit = (await Jobs.ClaimUnitAsync("w1", T0, Lease, 4, default))!;
        var cancelled = (await Jobs.TransitionAsync(job.Job.Id, [JobStatus.Queued, JobStatus.Running, JobStatus.Paused], JobStatus.Cancelled, null,
            T0.AddSeconds(5), default))!;
        Assert.Equal((JobStatus.Cancelled, (DateTimeOffset?)T0.AddSeconds(5), (string?)null), (cancelled.Status, cancelled.FinishedAt, cancelled.Owner));
        Assert.False(await Jobs.CompleteUnitAsync(unit.UnitId, "w1", unit.Version, new JobCounts(3, 3, 0, 0, 1), [], 10, T0, default));
        Assert.False(await Jobs.AddUnitsAsync(job.Job.Id, job.Owner, job.Version, [Unit("[]")], null, T0, default));
        Assert.Null(await Jobs.ClaimUnitAsync("w2", T0.AddSeconds(6), Lease, 4, default));
        Assert.Null(await Jobs.ClaimJobAsync("d2", T0.AddSeconds(6), Lease, default));
        Assert.Equal(JobCounts.Zero with { Total = 9 }, (await Jobs.GetJobAsync(job.Job.Id, default))!.Counts);
    }

    [Fact]
    public async Task JobLease_IsExclusiveUntilItExpires_ThenTakenOverWithANewVersion_AndTheStaleHolderIsFenced()
    {
        var first = await RunningAsync(1);
        Assert.Equal((JobStatus.Running, (DateTimeOffset?)T0, T0 + Lease), (first.Job.Status, first.Job.StartedAt, first.LeaseUntil));
        Assert.Null(await Jobs.ClaimJobAsync("other", T0.AddSeconds(10), Lease, default));
        Assert.True(await Jobs.RenewJobAsync(first.Job.Id, first.Owner, first.Version, T0.AddSeconds(60), default));
        Assert.Null(await Jobs.ClaimJobAsync("other", T0.AddSeconds(45), Lease, default));

        var second = (await Jobs.ClaimJobAsync("other", T0.AddSeconds(61), Lease, default))!;
        Assert.Equal((first.Job.Id, "other", (DateTimeOffset?)T0), (second.Job.Id, second.Owner, second.Job.StartedAt));
        Assert.True(second.Version > first.Version);
        Assert.Equal("c1", second.Job.Cursor);
        Assert.False(await Jobs.AddUnitsAsync(first.Job.Id, first.Owner, first.Version, [Unit("[\"stale\"]")], "stale", T0.AddSeconds(62), default));
        Assert.False(await Jobs.SetPhaseAsync(first.Job.Id, first.Owner, first.Version, JobPhase.Cleanup, T0.AddSeconds(62), default));
        Assert.False(await Jobs.RenewJobAsync(first.Job.Id, first.Owner, first.Version, T0.AddSeconds(90), default));
        await Jobs.ReleaseJobAsync(first.Job.Id, first.Owner, first.Version, default); // does nothing: not ours
        var job = (await Jobs.GetJobAsync(first.Job.Id, default))!;
        Assert.Equal((1, "c1", JobPhase.Discovery, "other"), (job.Units, job.Cursor, job.Phase, job.Owner));

        Assert.True(await Jobs.AddUnitsAsync(second.Job.Id, second.Owner, second.Version, [Unit("[\"a\"]"), Unit("[\"b\"]")], "c2", T0.AddSeconds(62), default));
        await Jobs.ReleaseJobAsync(second.Job.Id, second.Owner, second.Version, default);
        Assert.Equal((3, "c2", (string?)null), ((await Jobs.GetJobAsync(first.Job.Id, default))!.Units, (await Jobs.GetJobAsync(first.Job.Id, default))!.Cursor,
            (await Jobs.GetJobAsync(first.Job.Id, default))!.Owner));
        Assert.NotNull(await Jobs.ClaimJobAsync("third", T0.AddSeconds(63), Lease, default)); // released: free at once
    }

    [Fact]
    public async Task ClaimJob_TakesPriorityThenAge_AndSkipsProcessingJobsWithOpenUnits()
    {
        var old = (await Jobs.CreateJobAsync(Job("old", at: T0), default)).Job;
        var urgent = (await Jobs.CreateJobAsync(Job("urgent", priority: 5, at: T0.AddSeconds(2)), default)).Job;
        await Jobs.CreateJobAsync(Job("young", at: T0.AddSeconds(1)), default);
        var first = (await Jobs.ClaimJobAsync("d", T0.AddSeconds(3), Lease, default))!;
        var second = (await Jobs.ClaimJobAsync("d", T0.AddSeconds(3), Lease, default))!;
        Assert.Equal([urgent.Id, old.Id], [first.Job.Id, second.Job.Id]);

        // Processing with a unit open: no job lease wanted until the units are done, then it goes on to clean-up.
        Assert.True(await Jobs.AddUnitsAsync(first.Job.Id, "d", first.Version, [Unit("[1]")], null, T0, default));
        Assert.True(await Jobs.SetPhaseAsync(first.Job.Id, "d", first.Version, JobPhase.Processing, T0, default));
        await Jobs.ReleaseJobAsync(first.Job.Id, "d", first.Version, default);
        Assert.NotEqual(first.Job.Id, (await Jobs.ClaimJobAsync("d", T0.AddSeconds(4), Lease, default))!.Job.Id);
        Assert.Null(await Jobs.ClaimJobAsync("d", T0.AddSeconds(4), Lease, default));
        var unit = (await Jobs.ClaimUnitAsync("w", T0.AddSeconds(4), Lease, 4, default))!;
        Assert.True(await Jobs.CompleteUnitAsync(unit.UnitId, "w", unit.Version, new JobCounts(3, 3, 0, 0, 0), [], 10, T0.AddSeconds(5), default));
        var cleanup = (await Jobs.ClaimJobAsync("d", T0.AddSeconds(6), Lease, default))!;
        Assert.Equal((first.Job.Id, JobPhase.Processing, 0), (cleanup.Job.Id, cleanup.Job.Phase, cleanup.Job.UnitsOpen));
    }

    [Fact]
    public async Task ClaimUnit_OrdersByJobPriority_ThenJobAge_ThenSequence_AndHonoursThePerJobLimit()
    {
        var low = await RunningAsync(3, Job("low", at: T0));
        var high = await RunningAsync(2, Job("high", priority: 1, at: T0.AddSeconds(1)));
        var claims = new List<UnitLease>();
        while (await Jobs.ClaimUnitAsync($"w{claims.Count}", T0, Lease, 2, default) is { } claimed)
        {
            claims.Add(claimed);
        }

        Assert.Equal([(high.Job.Id, 0), (high.Job.Id, 1), (low.Job.Id, 0), (low.Job.Id, 1)], claims.Select(c => (c.JobId, c.Sequence)));
        Assert.Equal(["[\"u0\"]", "[\"u1\"]"], claims.Take(2).Select(c => c.Items));
        Assert.All(claims, c => Assert.Equal((3L, 1, T0 + Lease), (c.Tasks, c.Attempts, c.LeaseUntil)));

        // A finished unit frees a place for its job.
        Assert.True(await Jobs.CompleteUnitAsync(claims[2].UnitId, "w2", claims[2].Version, new JobCounts(3, 3, 0, 0, 0), [], 10, T0, default));
        var next = (await Jobs.ClaimUnitAsync("w9", T0, Lease, 2, default))!;
        Assert.Equal((low.Job.Id, 2), (next.JobId, next.Sequence));
        Assert.Null(await Jobs.ClaimUnitAsync("w10", T0, Lease, 2, default));
    }

    [Fact]
    public async Task AnExpiredUnitLease_IsClaimedAgain_WithANewVersionAndResetCounters_AndTheStaleCompletionWritesNothing()
    {
        var job = await RunningAsync(1);
        var stale = (await Jobs.ClaimUnitAsync("w1", T0, Lease, 4, default))!;
        Assert.True(await Jobs.ReportUnitAsync(stale.UnitId, "w1", stale.Version, new JobCounts(3, 2, 0, 0, 200), T0.AddSeconds(1), default));
        Assert.Equal(new JobCounts(3, 2, 0, 0, 200), (await Jobs.GetJobAsync(job.Job.Id, default))!.Counts);
        Assert.True(await Jobs.RenewUnitAsync(stale.UnitId, "w1", stale.Version, T0.AddSeconds(40), default));
        Assert.Null(await Jobs.ClaimUnitAsync("w2", T0.AddSeconds(39), Lease, 4, default));

        var fresh = (await Jobs.ClaimUnitAsync("w2", T0.AddSeconds(40), Lease, 4, default))!;
        Assert.Equal((stale.UnitId, 2), (fresh.UnitId, fresh.Attempts));
        Assert.True(fresh.Version > stale.Version);
        Assert.Equal(new JobCounts(3, 0, 0, 0, 0), (await Jobs.GetJobAsync(job.Job.Id, default))!.Counts);

        var failure = new JobFailure(job.Job.Id, "a.jpg", "grid", "decode-failed", "bad", T0);
        Assert.False(await Jobs.CompleteUnitAsync(stale.UnitId, "w1", stale.Version, new JobCounts(3, 2, 0, 1, 200), [failure], 10, T0.AddSeconds(41), default));
        Assert.False(await Jobs.ReportUnitAsync(stale.UnitId, "w1", stale.Version, new JobCounts(3, 3, 0, 0, 1), T0.AddSeconds(41), default));
        Assert.False(await Jobs.RenewUnitAsync(stale.UnitId, "w1", stale.Version, T0.AddSeconds(90), default));
        await Jobs.ReleaseUnitAsync(stale.UnitId, "w1", stale.Version, default); // not ours: nothing happens
        Assert.Empty(await Jobs.ListFailuresAsync(job.Job.Id, 0, 10, default));
        var after = (await Jobs.GetJobAsync(job.Job.Id, default))!;
        Assert.Equal((new JobCounts(3, 0, 0, 0, 0), 1), (after.Counts, after.UnitsOpen));
        Assert.True(await Jobs.RenewUnitAsync(fresh.UnitId, "w2", fresh.Version, T0.AddSeconds(80), default));
    }

    [Fact]
    public async Task ReleasedUnit_IsPendingAgain_WithItsCountersReset()
    {
        var job = await RunningAsync(1);
        var unit = (await Jobs.ClaimUnitAsync("w1", T0, Lease, 1, default))!;
        Assert.Null(await Jobs.ClaimUnitAsync("w2", T0, Lease, 4, default));
        Assert.True(await Jobs.ReportUnitAsync(unit.UnitId, "w1", unit.Version, new JobCounts(3, 1, 1, 0, 5), T0, default));
        await Jobs.ReleaseUnitAsync(unit.UnitId, "w1", unit.Version, default);
        Assert.Equal(new JobCounts(3, 0, 0, 0, 0), (await Jobs.GetJobAsync(job.Job.Id, default))!.Counts);
        Assert.Equal(unit.UnitId, (await Jobs.ClaimUnitAsync("w2", T0, Lease, 1, default))!.UnitId);
    }

    [Fact]
    public async Task Counters_AreTheSumsOverTheUnits()
    {
        var job = await RunningAsync(0);
        Assert.True(await Jobs.AddUnitsAsync(job.Job.Id, job.Owner, job.Version, [Unit("[1]", 4), Unit("[2]", 5), Unit("[3]", 6)], null, T0, default));
        var a = (await Jobs.ClaimUnitAsync("w", T0, Lease, 4, default))!;
        var b = (await Jobs.ClaimUnitAsync("w", T0, Lease, 4, default))!;
        Assert.True(await Jobs.CompleteUnitAsync(a.UnitId, "w", a.Version, new JobCounts(4, 2, 1, 1, 100), [], 10, T0, default));
        Assert.True(await Jobs.ReportUnitAsync(b.UnitId, "w", b.Version, new JobCounts(5, 1, 2, 0, 50), T0, default));
        var read = (await Jobs.GetJobAsync(job.Job.Id, default))!;
        Assert.Equal((new JobCounts(15, 3, 3, 1, 150), 3, 2, "c1"), (read.Counts, read.Units, read.UnitsOpen, read.Cursor));
        Assert.Equal(read, (await Jobs.ListJobsAsync(null, null, null, 1, default)).Single());
        Assert.Equal(7, read.Counts.Done);
    }

    [Fact]
    public async Task Failures_AreListedInOrderUpToTheCap_WhileTheFailedCounterCountsThemAll()
    {
        var job = await RunningAsync(2);
        JobFailure Failure(int i) => new(job.Job.Id, $"item{i}.jpg", "grid", "decode-failed", $"detail {i}", T0.AddSeconds(i));
        var a = (await Jobs.ClaimUnitAsync("w", T0, Lease, 4, default))!;
        var b = (await Jobs.ClaimUnitAsync("w", T0, Lease, 4, default))!;
        Assert.True(await Jobs.CompleteUnitAsync(a.UnitId, "w", a.Version, new JobCounts(3, 0, 0, 3, 0), [Failure(0), Failure(1), Failure(2)], 4, T0, default));
        Assert.True(await Jobs.CompleteUnitAsync(b.UnitId, "w", b.Version, new JobCounts(3, 0, 0, 3, 0), [Failure(3), Failure(4), Failure(5)], 4, T0, default));

        Assert.Equal(6, (await Jobs.GetJobAsync(job.Job.Id, default))!.Counts.Failed);
        Assert.Equal([Failure(0), Failure(1), Failure(2), Failure(3)], await Jobs.ListFailuresAsync(job.Job.Id, 0, 10, default));
        Assert.Equal([Failure(2)], await Jobs.ListFailuresAsync(job.Job.Id, 2, 1, default));
        Assert.Empty(await Jobs.ListFailuresAsync(job.Job.Id + 1, 0, 10, default));
    }

    [Fact]
    public async Task Prune_DeletesFinishedJobsBeforeTheTime_WithTheirUnitsAndFailures()
    {
        var done = await RunningAsync(1, Job("done"));
        var unit = (await Jobs.ClaimUnitAsync("w", T0, Lease, 4, default))!;
        Assert.True(await Jobs.CompleteUnitAsync(unit.UnitId, "w", unit.Version, new JobCounts(3, 2, 0, 1, 0),
            [new JobFailure(done.Job.Id, "x", "grid", "timeout", "", T0)], 10, T0, default));
        await Jobs.TransitionAsync(done.Job.Id, [JobStatus.Running], JobStatus.Completed, null, T0.AddHours(1), default);
        var recent = (await Jobs.CreateJobAsync(Job("recent"), default)).Job;
        await Jobs.TransitionAsync(recent.Id, [JobStatus.Queued], JobStatus.Cancelled, null, T0.AddHours(3), default);
        var active = (await Jobs.CreateJobAsync(Job("active"), default)).Job;

        Assert.Equal(1, await Jobs.PruneJobsAsync(T0.AddHours(2), default));
        Assert.Null(await Jobs.GetJobAsync(done.Job.Id, default));
        Assert.Empty(await Jobs.ListFailuresAsync(done.Job.Id, 0, 10, default));
        Assert.Equal([active.Id, recent.Id], (await Jobs.ListJobsAsync(null, null, null, 10, default)).Select(j => j.Id));
        Assert.Equal(0, await Jobs.PruneJobsAsync(T0.AddHours(2), default));
    }
}
