using Tessera.Core.Jobs;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jobs;

/// <summary>Timed triggers of two replicas on one PostgreSQL index: a schedule fires on one of them per period.</summary>
public sealed class PostgresTriggerTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly PostgresSchema _schema = new();

    public void Dispose()
    {
        _schema.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task TheScheduledWarm_FiresOnOneReplicaPerPeriod()
    {
        var library = _dir.Sub("lib");
        JobHarness.WriteImages(library, 1);
        var clock = new FakeTimeProvider();
        void Schedule(Tessera.Core.TesseraOptions o)
        {
            o.Jobs.WarmAtStart = null;
            o.Jobs.WarmEvery = TimeSpan.FromHours(12);
        }

        using var a = JobHarness.Open(_dir.Sub("a"), library, clock, Schedule, _schema.ConnectionString);
        using var b = JobHarness.Open(_dir.Sub("b"), library, clock, Schedule, _schema.ConnectionString);
        var (ta, tb) = (a.Get<JobTriggers>(), b.Get<JobTriggers>()); // made now: their schedules start now
        clock.Advance(TimeSpan.FromHours(12));
        var fired = Assert.Single(await ta.TickAsync(default));
        Assert.Equal(JobTrigger.Schedule, fired.Record.Trigger);
        await a.Jobs.CancelAsync(fired.Record.Id, default); // finished: only the shared schedule keeps b from warming again

        Assert.Empty(await tb.TickAsync(default));
        Assert.Single(await b.Jobs.ListAsync(null, null, null, 10, default));

        clock.Advance(TimeSpan.FromHours(12)); // the next period: whichever replica ticks first fires it
        var next = Assert.Single(await tb.TickAsync(default));
        Assert.NotEqual(fired.Record.Id, next.Record.Id);
        Assert.Empty(await ta.TickAsync(default));
    }
}
