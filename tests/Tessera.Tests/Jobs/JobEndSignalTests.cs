using Tessera.Core.Jobs;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jobs;

/// <summary>Who waits for a job in this process (the CLI's warm) is woken when it ends, not at its next poll.</summary>
public sealed class JobEndSignalTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task AWaiterThatSawTheJobRunning_IsWokenWhenTheCoordinatorEndsIt()
    {
        var library = _dir.Sub("lib");
        JobHarness.WriteImages(library, 2);
        var clock = new FakeTimeProvider();
        using var h = JobHarness.Open(Path.Combine(_dir.Path, "data"), library, clock);
        var (job, _) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib"), default);
        var owner = h.Engine.Owner;
        var signals = h.Get<JobSignals>();
        var coordinator = h.Get<JobCoordinator>();

        // Discovery, then the one unit's work: everything but the job's end.
        await coordinator.RunAsync((await h.Index.ClaimJobAsync(owner, clock.GetUtcNow(), TimeSpan.FromSeconds(60), default))!, default);
        var unit = await h.Index.ClaimUnitAsync(owner, clock.GetUtcNow(), TimeSpan.FromSeconds(60), 3, default);
        Assert.True(await h.Get<UnitWorker>().RunAsync(unit!, owner, default));

        var woken = signals.Next; // a waiter looks now: the job is still running
        Assert.Equal(JobStatus.Running, (await h.Jobs.GetAsync(job.Record.Id, default))!.Record.Status);
        Assert.False(woken.IsCompleted);

        // The clean-up round ends the job.
        await coordinator.RunAsync((await h.Index.ClaimJobAsync(owner, clock.GetUtcNow(), TimeSpan.FromSeconds(60), default))!, default);
        Assert.Equal(JobStatus.Completed, (await h.Jobs.GetAsync(job.Record.Id, default))!.Record.Status);
        Assert.True(woken.IsCompleted);
    }

    public void Dispose() => _dir.Dispose();
}
