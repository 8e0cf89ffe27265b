using Tessera.Core.Jobs;
using Tessera.Core.Storage;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jobs;

/// <summary>Two replicas (each its own data folder and engine) on one PostgreSQL index share a warm job's units.</summary>
public sealed class PostgresJobEngineTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly PostgresSchema _schema = new();

    public void Dispose()
    {
        _schema.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task AWarmJob_RunByTwoReplicas_RendersEveryFileOnce_AcrossThem()
    {
        var library = _dir.Sub("lib");
        JobHarness.WriteImages(library, 20);
        using var a = JobHarness.Open(_dir.Sub("a"), library, postgres: _schema.ConnectionString);
        using var b = JobHarness.Open(_dir.Sub("b"), library, postgres: _schema.ConnectionString);
        var (job, created) = await a.Jobs.CreateAsync(new JobRequest("warm", Library: "lib"), default);
        Assert.True(created);

        using var stop = new CancellationTokenSource();
        var engineB = b.Engine.RunAsync(stop.Token);
        JobView done;
        try
        {
            done = await a.RunUntilAsync(job.Record.Id, JobHarness.Finished);
        }
        finally
        {
            await stop.CancelAsync();
            await engineB;
        }

        Assert.Equal(JobStatus.Completed, done.Record.Status);
        Assert.Equal((20L, 20L, 0L, 0L, 4), (done.Record.Counts.Total, done.Record.Counts.Completed, done.Record.Counts.Skipped, done.Record.Counts.Failed,
            done.Record.Units));
        // Each replica stores what it rendered itself: every file once across the two stores, none twice.
        var stored = a.Get<DiskRenditionStore>().Enumerate().Count() + b.Get<DiskRenditionStore>().Enumerate().Count();
        Assert.Equal(20, stored);
    }
}
