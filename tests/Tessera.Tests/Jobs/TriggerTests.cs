using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Jobs;
using Tessera.Core.Sources;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jobs;

public sealed class TriggerTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task AtStartAndOnSchedule_EachFolderLibraryIsWarmed_OnTheClock_AndADuplicateIsNotQueued()
    {
        var library = _dir.Sub("lib");
        JobHarness.WriteImages(library, 2);
        var clock = new FakeTimeProvider();
        using var h = JobHarness.Open(Path.Combine(_dir.Path, "data"), library, clock, o =>
        {
            o.Jobs.WarmAtStart = TimeSpan.FromMinutes(1);
            o.Jobs.WarmEvery = TimeSpan.FromHours(12);
            o.Jobs.CleanupEvery = TimeSpan.FromDays(2);
        });
        var triggers = h.Get<JobTriggers>();

        Assert.Empty(await triggers.TickAsync(default));
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(await triggers.TickAsync(default));

        clock.Advance(TimeSpan.FromSeconds(2));
        var startup = Assert.Single(await triggers.TickAsync(default));
        Assert.Equal((WarmKind.KindName, JobTrigger.Startup), (startup.Record.Kind, startup.Record.Trigger));
        Assert.Empty(await triggers.TickAsync(default)); // once

        // Twelve hours on, the start-up warm is still queued: the schedule gets that job back, not a second one.
        clock.Advance(TimeSpan.FromHours(12));
        var scheduled = Assert.Single(await triggers.TickAsync(default));
        Assert.Equal(startup.Record.Id, scheduled.Record.Id);

        await h.Jobs.CancelAsync(startup.Record.Id, default);
        clock.Advance(TimeSpan.FromHours(12));
        var fresh = Assert.Single(await triggers.TickAsync(default));
        Assert.NotEqual(startup.Record.Id, fresh.Record.Id);
        Assert.Equal(JobTrigger.Schedule, fresh.Record.Trigger);

        clock.Advance(TimeSpan.FromDays(1)); // two days since start: the cleanup is due too
        var cleanup = Assert.Single(await triggers.TickAsync(default), j => j.Record.Kind == CleanupKind.KindName);
        Assert.Equal(JobTrigger.Schedule, cleanup.Record.Trigger);
        var done = await h.RunUntilAsync(cleanup.Record.Id, JobHarness.Finished);
        Assert.Equal(JobStatus.Completed, done.Record.Status);
    }

    [Fact]
    public async Task SwitchedOff_NothingIsQueued()
    {
        var clock = new FakeTimeProvider();
        using var h = JobHarness.Open(Path.Combine(_dir.Path, "data"), _dir.Sub("lib"), clock, o =>
        {
            o.Jobs.WarmAtStart = null;
            o.Jobs.WarmEvery = null;
        });
        clock.Advance(TimeSpan.FromDays(30));
        Assert.Empty(await h.Get<JobTriggers>().TickAsync(default));
        Assert.Empty(await h.Jobs.ListAsync(null, null, null, 10, default));
    }

    public void Dispose() => _dir.Dispose();
}
