using Tessera.Core.Jobs;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jobs;

/// <summary>Two engines (two processes' worth of services) on one index file and one fake clock.</summary>
public sealed class LeaseTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task AnExpiredUnitLease_GoesToAnotherWorker_AndTheStaleWorkersCompletionIsRejected()
    {
        var library = _dir.Sub("lib");
        JobHarness.WriteImages(library, 5);
        var clock = new FakeTimeProvider();
        var data = Path.Combine(_dir.Path, "data");
        using var a = JobHarness.Open(data, library, clock);
        using var b = JobHarness.Open(data, library, clock);
        var (job, _) = await a.Jobs.CreateAsync(new JobRequest("warm", Library: "lib"), default);

        // Discovery writes the one unit (5 items); then A claims it and goes quiet (a stalled or partitioned worker).
        var jobLease = await a.Index.ClaimJobAsync(a.Engine.Owner, clock.GetUtcNow(), TimeSpan.FromSeconds(60), default);
        await a.Get<JobCoordinator>().RunAsync(jobLease!, default);
        var stale = await a.Index.ClaimUnitAsync(a.Engine.Owner, clock.GetUtcNow(), TimeSpan.FromSeconds(60), 3, default);
        Assert.NotNull(stale);
        Assert.Null(await b.Index.ClaimUnitAsync(b.Engine.Owner, clock.GetUtcNow(), TimeSpan.FromSeconds(60), 3, default));

        clock.Advance(TimeSpan.FromSeconds(61));
        var taken = await b.Index.ClaimUnitAsync(b.Engine.Owner, clock.GetUtcNow(), TimeSpan.FromSeconds(60), 3, default);
        Assert.Equal(stale!.UnitId, taken!.UnitId);
        Assert.True(taken.Version > stale.Version);

        Assert.True(await b.Get<UnitWorker>().RunAsync(taken, b.Engine.Owner, default));
        Assert.False(await a.Get<UnitWorker>().RunAsync(stale, a.Engine.Owner, default)); // fenced: rejected

        var after = await a.Jobs.GetAsync(job.Record.Id, default);
        Assert.Equal(5, after!.Record.Counts.Total);
        Assert.Equal(5, after.Record.Counts.Done); // counted once, by the worker that held the lease
    }

    public void Dispose() => _dir.Dispose();
}
