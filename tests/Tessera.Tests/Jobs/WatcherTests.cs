using Tessera.Core.Jobs;
using Tessera.Core.Storage;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jobs;

public sealed class WatcherTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string Library => _dir.Sub("lib");

    private JobHarness Open() => JobHarness.Open(Path.Combine(_dir.Path, "data"), Library, configure: o => o.Jobs.WatchCoalesce = TimeSpan.FromSeconds(1));

    [Fact]
    public async Task AnAddedFolder_IsWarmedByAChangeJobOfJustThatPath()
    {
        JobHarness.WriteImages(Library, 3);
        using var h = Open();
        using var watcher = h.Get<LibraryWatcher>();
        Assert.Equal(1, watcher.Start());

        JobHarness.WriteImages(Path.Combine(Library, "new"), 1, first: 50);
        var job = await WaitForChangeJobAsync(h);
        Assert.Equal(["new"], JobSpec.Parse(job.Record.Spec).Paths); // the new folder, which holds the file
        var done = await h.RunUntilAsync(job.Record.Id, JobHarness.Finished);
        Assert.Equal((1L, 1L), (done.Record.Counts.Total, done.Record.Counts.Completed));
    }

    [Fact]
    public async Task ABurstOfFiftyFiles_IsOneJob()
    {
        using var h = Open();
        using var watcher = h.Get<LibraryWatcher>();
        watcher.Start();

        JobHarness.WriteImages(Library, 50);
        var job = await WaitForChangeJobAsync(h);
        await Task.Delay(TimeSpan.FromSeconds(3)); // any straggler event would have made a second job by now
        Assert.Single(await h.Jobs.ListAsync(null, WarmKind.KindName, null, 10, default));
        Assert.Equal(50, JobSpec.Parse(job.Record.Spec).Paths!.Count);
    }

    [Fact]
    public async Task AChangedFile_IsWarmedAgain_AndADeletedOneLosesItsRenditions()
    {
        JobHarness.WriteImages(Library, 2);
        using var h = Open();
        var (all, _) = await h.Jobs.CreateAsync(new JobRequest("warm", Library: "lib"), default);
        await h.RunUntilAsync(all.Record.Id, JobHarness.Finished);
        var store = h.Get<DiskRenditionStore>();
        Assert.Equal(2, store.Enumerate().Count());
        using var watcher = h.Get<LibraryWatcher>();
        watcher.Start();

        await File.WriteAllBytesAsync(Path.Combine(Library, "001.png"), NoiseImages.Png(96, 64, seed: 999));
        var change = await WaitForChangeJobAsync(h);
        Assert.Equal(["001.png"], JobSpec.Parse(change.Record.Spec).Paths);
        await h.RunUntilAsync(change.Record.Id, JobHarness.Finished);
        Assert.Equal(3, store.Enumerate().Count()); // the new content's rendition beside the old one (collected by cleanup)

        File.Delete(Path.Combine(Library, "000.png"));
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (store.Enumerate().Count() != 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(2, store.Enumerate().Count());
    }

    private static async Task<JobView> WaitForChangeJobAsync(JobHarness h)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var jobs = await h.Jobs.ListAsync(null, WarmKind.KindName, null, 10, default);
            if (jobs.FirstOrDefault(j => j.Record.Trigger == JobTrigger.Change) is { } job)
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, "no change job was queued");
            await Task.Delay(100);
        }
    }

    public void Dispose() => _dir.Dispose();
}
