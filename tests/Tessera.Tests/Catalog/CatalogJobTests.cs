using Tessera.Core.Catalog;
using Tessera.Core.Jobs;
using Tessera.Tests.Support;

namespace Tessera.Tests.Catalog;

/// <summary>catalog-sync as a job of the engine, and its poll trigger on a fake clock. Scripted, not the stand-in: the
/// stand-in fails whatever request comes next, not one type for a whole job, and the poll runs on a fake clock.</summary>
public sealed class CatalogJobTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ScriptedUpstream _upstream = new();

    public CatalogJobTests()
    {
        for (var i = 1; i <= 30; i++)
        {
            _upstream.Put(ScriptedUpstream.Entity(CatalogTypes.Scenes, i, FakeTimeProvider.Start.AddSeconds(-i)));
            _upstream.Put(ScriptedUpstream.Entity(CatalogTypes.Tags, i, FakeTimeProvider.Start.AddSeconds(-i)));
        }
    }

    [Fact]
    public async Task ASyncJob_DoesEveryTypeAsOneTask_AndResumesAfterARestartWhenTheUpstreamComesBack()
    {
        var data = _dir.Sub("data");
        long id;
        _upstream.FailFrom = (CatalogTypes.Scenes, 1);
        using (var first = CatalogHarness.Open(data, _upstream))
        {
            var (job, created) = await first.Jobs.CreateAsync(new JobRequest(CatalogSyncKind.KindName, Library: CatalogHarness.Name, Mode: "full"), CancellationToken.None);
            Assert.True(created);
            id = job.Record.Id;
            var done = await RunUntilAsync(first, id, v => !JobNames.IsActive(v.Record.Status));
            Assert.Equal(CatalogTypes.All.Count, done.Record.Counts.Total);
            Assert.Equal(1, done.Record.Counts.Failed); // scenes: the upstream was unreachable
            Assert.Equal(30, await first.LiveAsync(CatalogTypes.Tags));
            Assert.Equal(0, await first.LiveAsync(CatalogTypes.Scenes));
        }

        _upstream.FailFrom = null;
        using var second = CatalogHarness.Open(data, _upstream);
        var again = await second.Jobs.CreateAsync(new JobRequest(CatalogSyncKind.KindName, Library: CatalogHarness.Name, Mode: "smart"), CancellationToken.None);
        var finished = await RunUntilAsync(second, again.Job.Record.Id, v => !JobNames.IsActive(v.Record.Status));
        Assert.Equal(JobStatus.Completed, finished.Record.Status);
        Assert.Equal(0, finished.Record.Counts.Failed);
        Assert.Equal(30, await second.LiveAsync(CatalogTypes.Scenes));
    }

    [Fact]
    public async Task ThePollTrigger_QueuesASmartSyncAtStart_AndThenEveryPollInterval()
    {
        var clock = new FakeTimeProvider();
        using var catalog = CatalogHarness.Open(_dir.Sub("data"), _upstream, clock);
        var triggers = catalog.Get<CatalogTriggers>();

        var start = Assert.Single(await triggers.TickAsync(CancellationToken.None));
        Assert.Equal(JobTrigger.Startup, start.Record.Trigger);
        Assert.Equal($"catalog={CatalogHarness.Name};mode=smart", start.Record.Scope);
        await catalog.Jobs.CancelAsync(start.Record.Id, CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Empty(await triggers.TickAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(1));
        var poll = Assert.Single(await triggers.TickAsync(CancellationToken.None));
        Assert.Equal(JobTrigger.Schedule, poll.Record.Trigger);
        Assert.NotEqual(start.Record.Id, poll.Record.Id);
    }

    private static async Task<JobView> RunUntilAsync(CatalogHarness harness, long id, Func<JobView, bool> until)
    {
        using var stop = new CancellationTokenSource();
        var engine = harness.Get<JobEngine>().RunAsync(stop.Token);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (true)
            {
                var view = await harness.Jobs.GetAsync(id, CancellationToken.None) ?? throw new InvalidOperationException("job gone");
                if (until(view))
                {
                    return view;
                }

                Assert.True(DateTime.UtcNow < deadline, $"job {id} never got there: {view.Record}");
                await Task.Delay(100);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await engine;
        }
    }

    public void Dispose() => _dir.Dispose();
}
