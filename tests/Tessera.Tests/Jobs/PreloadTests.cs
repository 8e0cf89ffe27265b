using Tessera.Core.Jobs;
using Tessera.Core.Storage;
using Tessera.Tests.Remote;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jobs;

public sealed class PreloadTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task APreload_FetchesEachUrlOnce_AndFailsAMissingOneWithItsReason()
    {
        await using var upstream = await Upstream.StartAsync(ProviderRoutes.Map);
        using var h = JobHarness.Open(Path.Combine(_dir.Path, "data"), _dir.Sub("lib"), configure: o =>
        {
            o.Remote.AllowedNetworks.Add("127.0.0.1/32");
            o.Remote.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
        });
        string[] urls = [upstream.Url("/img.png").AbsoluteUri, upstream.Url("/no-such-image.png").AbsoluteUri];

        var (job, _) = await h.Jobs.CreateAsync(new JobRequest("preload", Urls: urls, Preset: "grid"), default);
        var done = await h.RunUntilAsync(job.Record.Id, JobHarness.Finished);

        Assert.Equal(JobStatus.Completed, done.Record.Status);
        Assert.Equal((2L, 1L, 1L), (done.Record.Counts.Total, done.Record.Counts.Completed, done.Record.Counts.Failed));
        var failure = Assert.Single(await h.Jobs.FailuresAsync(job.Record.Id, 0, 10, default));
        Assert.Equal(urls[1], failure.Item);
        Assert.Equal("not-found", failure.Reason);
        Assert.Single(h.Get<DiskRenditionStore>().Enumerate(), r => r.Extension == "webp");
        Assert.Equal(1, upstream.Hits("/img.png"));
    }

    [Fact]
    public async Task APreloadOfALoopbackUrl_IsRefusedUnlessItsNetworkIsAllowed()
    {
        await using var upstream = await Upstream.StartAsync(ProviderRoutes.Map);
        using var h = JobHarness.Open(Path.Combine(_dir.Path, "data"), _dir.Sub("lib"));
        var url = upstream.Url("/img.png").AbsoluteUri;

        var e = await Assert.ThrowsAsync<JobRequestException>(() => h.Jobs.CreateAsync(new JobRequest("preload", Urls: [url], Preset: "grid"), default));
        Assert.Contains(url, e.Message, StringComparison.Ordinal);
        Assert.Empty(await h.Jobs.ListAsync(null, null, null, 10, default));
        Assert.Equal(0, upstream.Requests);
    }

    public void Dispose() => _dir.Dispose();
}
