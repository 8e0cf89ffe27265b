using Tessera.Core.Jobs;
using Tessera.Core.Storage;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jobs;

public sealed class JobEngineTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string Data => Path.Combine(_dir.Path, "data");

    private string Library => _dir.Sub("lib");

    [Fact]
    public async Task AWarmJob_RendersEveryFileOfTheLibrary_InUnits_AndASecondWarmSkipsThemAll()
    {
        JobHarness.WriteImages(Library, 12);
        Directory.CreateDirectory(Path.Combine(Library, "sub"));
        JobHarness.WriteImages(Path.Combine(Library, "sub"), 3, first: 100);
        using var h = JobHarness.Open(Data, Library);

        var (job, created) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib"), default);
        Assert.True(created);
        var done = await h.RunUntilAsync(job.Record.Id, JobHarness.Finished);

        Assert.Equal(JobStatus.Completed, done.Record.Status);
        Assert.Equal(new JobCounts(15, 15, 0, 0, done.Record.Counts.Bytes), done.Record.Counts);
        Assert.True(done.Record.Counts.Bytes > 0);
        Assert.Equal(3, done.Record.Units); // 15 files in units of 5
        Assert.Equal(15, h.Get<DiskRenditionStore>().Enumerate().Count());

        var (again, _) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib"), default);
        Assert.NotEqual(job.Record.Id, again.Record.Id);
        var second = await h.RunUntilAsync(again.Record.Id, JobHarness.Finished);
        Assert.Equal((15L, 0L, 15L), (second.Record.Counts.Total, second.Record.Counts.Completed, second.Record.Counts.Skipped));
    }

    [Fact]
    public async Task ASecondRequestForTheSameScope_GetsTheActiveJob_NotANewOne()
    {
        JobHarness.WriteImages(Library, 2);
        using var h = JobHarness.Open(Data, Library);
        var (first, created) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib", Paths: ["001.png", "000.png"]), default);
        var (second, again) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib", Paths: ["000.png", "001.png"]), default);
        var (other, third) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib", Paths: ["000.png"]), default);

        Assert.True(created);
        Assert.False(again);
        Assert.Equal(first.Record.Id, second.Record.Id);
        Assert.True(third);
        Assert.NotEqual(first.Record.Id, other.Record.Id);
    }

    [Theory]
    [InlineData("paint", "lib", null, "unknown job kind 'paint'")]
    [InlineData("warm", "nope", null, "unknown library 'nope'")]
    [InlineData("warm", "lib", "huge", "unknown preset 'huge'")]
    public async Task ABadRequest_IsRefusedWithAClearReason(string kind, string library, string? preset, string why)
    {
        using var h = JobHarness.Open(Data, Library);
        var e = await Assert.ThrowsAsync<JobRequestException>(() =>
            h.Jobs.CreateAsync(new JobRequest(kind, Library: library, Presets: preset is null ? null : [preset]), default));
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APathOutsideTheLibrary_OrAPrivateAddressToPreload_IsRefused()
    {
        using var h = JobHarness.Open(Data, Library);
        var path = await Assert.ThrowsAsync<JobRequestException>(() => h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib", Paths: ["../etc/passwd"]), default));
        Assert.Contains("'..'", path.Message, StringComparison.Ordinal);
        var url = await Assert.ThrowsAsync<JobRequestException>(() =>
            h.Jobs.CreateAsync(new JobRequest("preload", Urls: ["ftp://example.com/a.jpg"], Preset: "grid"), default));
        Assert.Contains("ftp://example.com/a.jpg", url.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedFiles_AreCountedAndListedWithTheirReason_AndTheJobGoesOn()
    {
        JobHarness.WriteImages(Library, 3);
        await File.WriteAllTextAsync(Path.Combine(Library, "broken.jpg"), "not a jpeg at all");
        using var h = JobHarness.Open(Data, Library);
        var (job, _) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib"), default);
        var done = await h.RunUntilAsync(job.Record.Id, JobHarness.Finished);

        Assert.Equal(JobStatus.Completed, done.Record.Status);
        Assert.Equal((3L, 1L), (done.Record.Counts.Completed, done.Record.Counts.Failed));
        var failure = Assert.Single(await h.Jobs.FailuresAsync(job.Record.Id, 0, 10, default));
        Assert.Equal("broken.jpg", failure.Item);
        Assert.Equal("grid", failure.Preset);
        Assert.False(string.IsNullOrEmpty(failure.Reason));
    }

    [Fact]
    public async Task APausedJob_StaysPausedAcrossARestart_AndResumesToCompletion()
    {
        JobHarness.WriteImages(Library, 10);
        long id;
        using (var before = JobHarness.Open(Data, Library))
        {
            id = (await before.Jobs.CreateAsync(new JobRequest("warm", Library: "lib"), default)).Job.Record.Id;
            var paused = await before.Jobs.PauseAsync(id, default);
            Assert.True(paused!.Changed);
            Assert.Equal(JobStatus.Paused, paused.Job.Record.Status);
        }

        using var after = JobHarness.Open(Data, Library);
        using (var stop = new CancellationTokenSource())
        {
            var engine = after.Engine.RunAsync(stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(2)); // an engine that would run it has had every chance to
            await stop.CancelAsync();
            await engine;
        }

        var still = await after.Jobs.GetAsync(id, default);
        Assert.Equal(JobStatus.Paused, still!.Record.Status);
        Assert.Equal(0, still.Record.Counts.Done);

        var resumed = await after.Jobs.ResumeAsync(id, default);
        Assert.True(resumed!.Changed);
        var done = await after.RunUntilAsync(id, JobHarness.Finished);
        Assert.Equal(JobStatus.Completed, done.Record.Status);
        Assert.Equal(10, done.Record.Counts.Completed);
        Assert.False((await after.Jobs.ResumeAsync(id, default))!.Changed); // a completed job does not resume
    }

    [Fact]
    public async Task Cancel_StopsTheRunningUnits_AndNothingMoreIsDone()
    {
        JobHarness.WriteImages(Library, 150);
        using var h = JobHarness.Open(Data, Library, configure: o => o.Jobs.Concurrency = 1);
        var (job, _) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib"), default);
        using var stop = new CancellationTokenSource();
        var engine = h.Engine.RunAsync(stop.Token);
        try
        {
            await h.WaitAsync(job.Record.Id, v => v.Record.Counts.Done > 0);
            var cancelled = await h.Jobs.CancelAsync(job.Record.Id, default);
            Assert.True(cancelled!.Changed);
            var rendered = h.Get<DiskRenditionStore>().Enumerate().Count();
            await Task.Delay(TimeSpan.FromSeconds(2));

            var after = await h.Jobs.GetAsync(job.Record.Id, default);
            Assert.Equal(JobStatus.Cancelled, after!.Record.Status);
            // The unit running when it was cancelled may finish the task it was in; nothing after that.
            Assert.InRange(h.Get<DiskRenditionStore>().Enumerate().Count(), rendered, rendered + 1);
            Assert.True(rendered < 150, "the job finished before it could be cancelled; the test proves nothing");
        }
        finally
        {
            await stop.CancelAsync();
            await engine;
        }
    }

    [Fact]
    public async Task AWarmOfAppItems_RendersTheirCovers_AsTheItemRouteWould()
    {
        JobHarness.WriteImages(Library, 2);
        using var h = JobHarness.Open(Data, Library);
        var registry = h.Get<Tessera.Core.Items.ItemRegistry>();
        await registry.PutAsync("lib", "book-1", "cover", [], "000.png", default);
        await registry.PutAsync("lib", "book-2", "cover", [], "001.png", default);

        var (job, _) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib", Ids: ["book-2", "book-1", "no-such-book"]), default);
        var done = await h.RunUntilAsync(job.Record.Id, JobHarness.Finished);

        Assert.Equal((3L, 2L, 1L), (done.Record.Counts.Total, done.Record.Counts.Completed, done.Record.Counts.Failed));
        Assert.Equal("no-such-book", Assert.Single(await h.Jobs.FailuresAsync(job.Record.Id, 0, 10, default)).Item);
        Assert.Equal(2, h.Get<DiskRenditionStore>().Enumerate().Count());
    }

    [Fact]
    public async Task AWarmOfAppItems_AtSomeRoles_RendersEachRegisteredRole()
    {
        JobHarness.WriteImages(Library, 3);
        using var h = JobHarness.Open(Data, Library);
        var registry = h.Get<Tessera.Core.Items.ItemRegistry>();
        await registry.PutAsync("lib", "film-1", "cover", [], "000.png", default);
        await registry.PutAsync("lib", "film-1", "backdrop", [], "001.png", default);
        await registry.PutAsync("lib", "film-2", "cover", [], "002.png", default);

        var (job, _) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib", Ids: ["film-1", "film-2"], Roles: ["backdrop", "cover"]), default);
        var done = await h.RunUntilAsync(job.Record.Id, JobHarness.Finished);

        // 2 items × 2 roles; film-2 has no backdrop.
        Assert.Equal((4L, 3L, 1L), (done.Record.Counts.Total, done.Record.Counts.Completed, done.Record.Counts.Failed));
        Assert.Equal("film-2", Assert.Single(await h.Jobs.FailuresAsync(job.Record.Id, 0, 10, default)).Item);
        Assert.Equal(3, h.Get<DiskRenditionStore>().Enumerate().Count());
        Assert.Contains(";roles=backdrop,cover;", done.Record.Scope, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_AreForAppItems_AndCoverAloneIsTheDefaultScope()
    {
        JobHarness.WriteImages(Library, 1);
        using var h = JobHarness.Open(Data, Library);

        var folder = await Assert.ThrowsAsync<JobRequestException>(() => h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib", Roles: ["cover"]), default));
        Assert.Contains("roles are for app items", folder.Message, StringComparison.Ordinal);
        var bad = await Assert.ThrowsAsync<JobRequestException>(() => h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib", Ids: ["a"], Roles: ["Cover!"]), default));
        Assert.Contains("role 'Cover!'", bad.Message, StringComparison.Ordinal);

        var (first, created) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib", Ids: ["a"]), default);
        var (second, again) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib", Ids: ["a"], Roles: ["cover"]), default);
        Assert.True(created);
        Assert.False(again); // the same work: the active job is returned
        Assert.Equal(first.Record.Id, second.Record.Id);
    }

    [Fact]
    public async Task Watch_ReportsProgress_AndOneEventWhenTheJobFinishes()
    {
        JobHarness.WriteImages(Library, 10);
        using var h = JobHarness.Open(Data, Library);
        var (job, _) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib"), default);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var events = new List<JobView>();
        var engine = h.Engine.RunAsync(stop.Token);
        try
        {
            await foreach (var view in h.Jobs.WatchAsync(job.Record.Id, stop.Token))
            {
                events.Add(view);
                if (JobHarness.Finished(view))
                {
                    break;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await engine;
        }

        Assert.Equal(JobStatus.Completed, events[^1].Record.Status);
        Assert.Single(events, e => e.Record.Status == JobStatus.Completed);
        Assert.Equal(10, events[^1].Record.Counts.Done);
        Assert.True(events.Count >= 2, "the watch saw only the end");
    }

    [Fact]
    public async Task WatchingEveryJob_ReportsOneCreatedAndEndedBetweenTwoPolls()
    {
        // A warm of files already cached can start and end between two polls: it was never seen active, and the
        // dashboard showed it queued for ever. Jobs created since the last poll are reported whatever their status.
        JobHarness.WriteImages(Library, 2);
        using var h = JobHarness.Open(Data, Library);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var watch = h.Jobs.WatchAsync(null, stop.Token).GetAsyncEnumerator(stop.Token);
        try
        {
            var next = watch.MoveNextAsync().AsTask(); // the first poll: nothing active; it notes the newest job
            await Task.Delay(TimeSpan.FromSeconds(1));
            var (job, _) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib"), default);
            await h.Jobs.CancelAsync(job.Record.Id, default); // ended with no engine running: likely before the next poll
            Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(60)), "the watch ended");
            while (watch.Current.Record.Status != JobStatus.Cancelled)
            {
                Assert.True(await watch.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60)), "the watch ended");
            }

            Assert.Equal(job.Record.Id, watch.Current.Record.Id);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await watch.DisposeAsync();
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public void Dispose() => _dir.Dispose();
}
