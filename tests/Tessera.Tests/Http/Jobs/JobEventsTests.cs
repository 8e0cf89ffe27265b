using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Server.Jobs;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Jobs;

/// <summary>GET /api/jobs/events: server-sent events of a running job, from its current state to its final event, and
/// a client that goes away leaves the server and its jobs working.</summary>
public sealed class JobEventsTests : IAsyncLifetime, IDisposable
{
    private const int Files = 40;
    private readonly LogCapture _log = new();
    private TesseraHost _host = null!;

    public async Task InitializeAsync() => _host = await TesseraHost.StartAsync(root =>
    {
        for (var i = 0; i < Files; i++)
        {
            Images.WriteSolidJpeg(Path.Combine(root, "lib", $"p{i:00}.jpg"), 1600, 1200, (byte)(i * 5), 80, 120);
        }
    }, o =>
    {
        JobApi.Configure(o);
        o.Jobs.UnitSize = 5; // several units, so progress moves in steps
    }, services: _log.AddTo);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task TheStream_DeliversProgress_AndTheFinalCompletedEvent()
    {
        // Created and paused at once, so the stream surely sees it run: paused, then running with progress, then completed.
        var job = await JobApi.CreateAsync(_host.Client, """{"kind":"warm","library":"lib"}""");
        using (var pause = await JobApi.SendAsync(_host.Client, HttpMethod.Post, $"/api/jobs/{job.Id}/pause"))
        {
            Assert.True(pause.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict,
                $"pause answered {(int)pause.StatusCode}: {await pause.Content.ReadAsStringAsync()}\n{Problems()}"); // once seen failing in CI: say why next time
        }

        using var request = JobApi.Request(HttpMethod.Get, $"/api/jobs/events?id={job.Id}");
        using var response = await _host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith(":", await reader.ReadLineAsync()); // the opening comment, flushed before any job moves

        using (var resume = await JobApi.SendAsync(_host.Client, HttpMethod.Post, $"/api/jobs/{job.Id}/resume"))
        {
            Assert.True(resume.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict);
        }

        var events = new List<JobDocument>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (events.Count == 0 || !events[^1].IsFinished)
        {
            events.Add(await NextEventAsync(reader, deadline.Token));
        }

        Assert.All(events, e => Assert.Equal(job.Id, e.Id));
        var last = events[^1];
        Assert.Equal(("completed", Files * 4L, Files * 4L), (last.Status, last.Total, last.Done));
        Assert.Contains(events, e => e.Status == "running" && e.Done < e.Total); // progress of the running job
        var done = events.Select(e => e.Done).ToList();
        Assert.Equal(done.Order(), done); // never backwards
    }

    private string Problems() => string.Join('\n', _log.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Warning", StringComparison.Ordinal)));

    [Fact]
    public async Task AClientThatGoesAway_LeavesTheServerAndItsJobsWorking()
    {
        for (var round = 0; round < 3; round++)
        {
            using var request = JobApi.Request(HttpMethod.Get, "/api/jobs/events");
            var response = await _host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.StartsWith(":", await reader.ReadLineAsync());
            reader.Dispose();
            response.Dispose(); // the connection closes mid-stream
        }

        var job = await JobApi.CreateAsync(_host.Client, """{"kind":"warm","library":"lib","paths":["p01.jpg"]}""");
        Assert.Equal("completed", (await JobApi.FinishedAsync(_host.Client, job.Id)).Status);
        using var hit = await _host.Client.GetAsync("/t/lib/grid/p01.jpg");
        Assert.Equal("hit", HttpAssert.Header(hit, "X-Tessera-Cache"));
    }

    /// <summary>The next <c>event: job</c>, skipping comments.</summary>
    private static async Task<JobDocument> NextEventAsync(StreamReader reader, CancellationToken ct)
    {
        string? kind = null;
        var data = new List<string>();
        while (true)
        {
            var line = await reader.ReadLineAsync(ct) ?? throw new InvalidOperationException("the stream ended before the job finished");
            if (line.Length == 0 && kind == "job" && data.Count > 0)
            {
                return JsonSerializer.Deserialize(string.Join('\n', data), JobApiJson.Default.JobDocument)!;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line["data: ".Length..]);
            }
        }
    }
}
