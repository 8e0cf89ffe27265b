using System.Net;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Jobs;

/// <summary>Pause, resume, cancel and duplicate refusal over HTTP, on a server whose engine is off (Jobs:Enabled false),
/// so a job stays exactly where the test moves it.</summary>
public sealed class JobControlTests : IAsyncLifetime
{
    private TesseraHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync() =>
        _host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 64, 64), o => JobApi.Configure(o, runJobs: false));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ADuplicateOfAnActiveJob_ReturnsTheExistingOne()
    {
        var first = await JobApi.CreateAsync(Client, """{"kind":"warm","library":"lib"}""");
        Assert.Equal(("queued", false), (first.Status, first.Existing));

        using var again = await JobApi.SendAsync(Client, HttpMethod.Post, "/api/jobs", """{"kind":"WARM","library":"lib"}""");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var existing = await JobApi.ReadJobAsync(again);
        Assert.Equal((first.Id, true), (existing.Id, existing.Existing));
        Assert.Equal($"/api/jobs/{first.Id}", again.Headers.Location?.OriginalString);

        var other = await JobApi.CreateAsync(Client, """{"kind":"warm","library":"lib","presets":["grid"]}""");
        Assert.NotEqual(first.Id, other.Id);
    }

    [Fact]
    public async Task PauseResumeCancel_MoveTheJob_AndAMoveThatDoesNotApplyIs409()
    {
        var job = await JobApi.CreateAsync(Client, """{"kind":"warm","library":"lib","paths":["a.jpg"]}""");

        Assert.Equal("paused", await MoveAsync(job.Id, "pause", HttpStatusCode.OK));
        Assert.Equal("paused", (await JobApi.GetAsync(Client, job.Id)).Status);
        await ConflictAsync(job.Id, "pause", "paused");
        Assert.Equal("queued", await MoveAsync(job.Id, "resume", HttpStatusCode.OK));
        await ConflictAsync(job.Id, "resume", "queued");
        Assert.Equal("cancelled", await MoveAsync(job.Id, "cancel", HttpStatusCode.OK));
        var cancelled = await JobApi.GetAsync(Client, job.Id);
        Assert.NotNull(cancelled.FinishedAt);
        await ConflictAsync(job.Id, "resume", "cancelled");
        await ConflictAsync(job.Id, "cancel", "cancelled");
    }

    private async Task<string> MoveAsync(long id, string verb, HttpStatusCode expected)
    {
        using var response = await JobApi.SendAsync(Client, HttpMethod.Post, $"/api/jobs/{id}/{verb}");
        Assert.Equal(expected, response.StatusCode);
        var job = await JobApi.ReadJobAsync(response);
        Assert.Equal(id, job.Id);
        return job.Status;
    }

    private async Task ConflictAsync(long id, string verb, string status)
    {
        using var response = await JobApi.SendAsync(Client, HttpMethod.Post, $"/api/jobs/{id}/{verb}");
        await HttpAssert.ProblemAsync(response, 409, $"job {id} is {status}");
    }
}
