using System.Net;
using System.Text.Json;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Jobs;

/// <summary>The jobs API on the real server with the real engine and SQLite index: create, list, show, failures and
/// the webhook, every answer's status and body, and what the jobs left in the cache.</summary>
public sealed class JobApiTests : IAsyncLifetime
{
    private TesseraHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await TesseraHost.StartAsync(root =>
    {
        // Distinct pixels: identical files would share renditions (the cache is content-addressed).
        Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 640, 480, 200, 30, 30);
        Images.WriteSolidJpeg(Path.Combine(root, "lib", "b.jpg"), 640, 480, 30, 200, 30);
        Images.WriteSolidJpeg(Path.Combine(root, "lib", "sub", "c.jpg"), 640, 480, 30, 30, 200);

        File.WriteAllText(Path.Combine(root, "lib", "broken.jpg"), "this is no JPEG at all");
    }, o => JobApi.Configure(o));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AWarmJob_IsAccepted_Runs_AndLeavesEveryRenditionHot()
    {
        using var response = await JobApi.SendAsync(Client, HttpMethod.Post, "/api/jobs", """{"kind":"warm","library":"lib","presets":["grid","thumb"]}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await JobApi.ReadJobAsync(response);
        Assert.Equal($"/api/jobs/{job.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(false, job.Existing);
        Assert.Equal(("warm", "manual", "lib"), (job.Kind, job.Trigger, job.Library));

        var done = await JobApi.FinishedAsync(Client, job.Id);
        Assert.Equal("completed", done.Status);
        Assert.Equal(8, done.Total); // 4 files × 2 presets
        Assert.Equal((6L, 2L, 8L), (done.Completed, done.Failed, done.Done));
        Assert.NotNull(done.StartedAt);
        Assert.NotNull(done.FinishedAt);
        Assert.Null(done.Existing);

        foreach (var path in new[] { "/t/lib/grid/a.jpg", "/t/lib/thumb/sub/c.jpg" })
        {
            using var hit = await Client.GetAsync(path);
            Assert.Equal("hit", HttpAssert.Header(hit, "X-Tessera-Cache"));
        }

        using var detail = await Client.GetAsync("/t/lib/detail/a.jpg");
        Assert.Equal("miss", HttpAssert.Header(detail, "X-Tessera-Cache"));
    }

    [Fact]
    public async Task AJob_ShowsExactlyTheDocumentedFields()
    {
        var job = await JobApi.CreateAsync(Client, """{"kind":"warm","library":"lib","paths":["a.jpg"],"priority":3,"maxRuntime":"1h"}""");
        await JobApi.FinishedAsync(Client, job.Id);
        using var response = await JobApi.SendAsync(Client, HttpMethod.Get, $"/api/jobs/{job.Id}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["bytes", "completed", "createdAt", "done", "error", "eta", "failed", "finishedAt", "id", "kind", "library", "phase", "priority",
            "rate", "scope", "skipped", "startedAt", "status", "total", "trigger", "updatedAt"], names);
        Assert.Equal(3, json.RootElement.GetProperty("priority").GetInt32());
        Assert.True(json.RootElement.GetProperty("bytes").GetInt64() > 0);
    }

    [Fact]
    public async Task Failures_AreListed_WithTheirReason()
    {
        var job = await JobApi.CreateAsync(Client, """{"kind":"warm","library":"lib","presets":["grid"]}""");
        var done = await JobApi.FinishedAsync(Client, job.Id);
        Assert.Equal(1, done.Failed);

        using var response = await JobApi.SendAsync(Client, HttpMethod.Get, $"/api/jobs/{job.Id}/failures?offset=0&limit=10");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var failure = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Contains("broken.jpg", failure.GetProperty("item").GetString(), StringComparison.Ordinal);
        Assert.Equal("grid", failure.GetProperty("preset").GetString());
        Assert.Equal("decode-failed", failure.GetProperty("reason").GetString());
        Assert.Equal(["at", "detail", "item", "preset", "reason"], failure.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        using var past = await JobApi.SendAsync(Client, HttpMethod.Get, $"/api/jobs/{job.Id}/failures?offset=1");
        Assert.Equal("[]", await past.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheList_IsNewestFirst_FilteredAndPaged()
    {
        var first = await JobApi.CreateAsync(Client, """{"kind":"warm","library":"lib","paths":["a.jpg"]}""");
        await JobApi.FinishedAsync(Client, first.Id);
        var second = await JobApi.CreateAsync(Client, """{"kind":"warm","library":"lib","paths":["b.jpg"]}""");
        await JobApi.FinishedAsync(Client, second.Id);

        using var page = await JobApi.SendAsync(Client, HttpMethod.Get, "/api/jobs?status=completed&kind=warm&limit=1");
        using var json = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
        Assert.Equal(second.Id, Assert.Single(json.RootElement.GetProperty("jobs").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(second.Id, json.RootElement.GetProperty("next").GetInt64());

        using var next = await JobApi.SendAsync(Client, HttpMethod.Get, $"/api/jobs?before={second.Id}&limit=1");
        using var rest = JsonDocument.Parse(await next.Content.ReadAsStringAsync());
        Assert.Equal(first.Id, Assert.Single(rest.RootElement.GetProperty("jobs").EnumerateArray()).GetProperty("id").GetInt64());

        using var none = await JobApi.SendAsync(Client, HttpMethod.Get, "/api/jobs?status=failed");
        using var empty = JsonDocument.Parse(await none.Content.ReadAsStringAsync());
        Assert.Empty(empty.RootElement.GetProperty("jobs").EnumerateArray());
    }

    [Fact]
    public async Task TheWebhook_WarmsExactlyThePostedPaths()
    {
        var job = await JobApi.CreateAsync(Client, """{"paths":["sub/c.jpg"]}""", "/api/libraries/lib/changed");
        Assert.Equal(("warm", "webhook"), (job.Kind, job.Trigger));
        var done = await JobApi.FinishedAsync(Client, job.Id);
        Assert.Equal(("completed", 4L, 4L), (done.Status, done.Total, done.Completed)); // one file × the 4 default presets

        using (var hit = await Client.GetAsync("/t/lib/grid2x/sub/c.jpg"))
        {
            Assert.Equal("hit", HttpAssert.Header(hit, "X-Tessera-Cache"));
        }

        using var other = await Client.GetAsync("/t/lib/grid/a.jpg");
        Assert.Equal("miss", HttpAssert.Header(other, "X-Tessera-Cache"));
    }

    [Fact]
    public async Task TheWebhook_RefusesTraversal_AnUnknownLibrary_AndSkipsDeletedPaths()
    {
        foreach (var path in new[] { "../data/index.db", "sub/../../outside.jpg", "/etc/passwd" })
        {
            using var response = await JobApi.SendAsync(Client, HttpMethod.Post, "/api/libraries/lib/changed", TestJson.Serialize(new { paths = new[] { path } }));
            await HttpAssert.ProblemAsync(response, 400, "path");
        }

        using (var unknown = await JobApi.SendAsync(Client, HttpMethod.Post, "/api/libraries/nope/changed", """{"paths":["a.jpg"]}"""))
        {
            await HttpAssert.ProblemAsync(unknown, 404, "nope");
        }

        using (var empty = await JobApi.SendAsync(Client, HttpMethod.Post, "/api/libraries/lib/changed", """{"paths":[]}"""))
        {
            await HttpAssert.ProblemAsync(empty, 400, "paths");
        }

        using var deleted = await JobApi.SendAsync(Client, HttpMethod.Post, "/api/libraries/lib/changed", """{"paths":["gone.jpg"]}""");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Theory]
    [InlineData("{\"kind\":", "expected a JSON body")]
    [InlineData("[1,2]", "expected a JSON body")]
    [InlineData("{\"library\":\"lib\"}", "kind")]
    [InlineData("{\"kind\":\"transcode\",\"library\":\"lib\"}", "transcode")]
    [InlineData("{\"kind\":\"warm\",\"library\":\"nope\"}", "nope")]
    [InlineData("{\"kind\":\"warm\",\"library\":\"lib\",\"presets\":[\"huge\"]}", "huge")]
    [InlineData("{\"kind\":\"warm\",\"library\":\"lib\",\"paths\":[\"../../etc/passwd\"]}", "path")]
    [InlineData("{\"kind\":\"warm\",\"library\":\"lib\",\"maxRuntime\":\"soon\"}", "maxRuntime")]
    [InlineData("{\"kind\":\"warm\",\"library\":\"lib\",\"priority\":1000}", "priority")]
    [InlineData("{\"kind\":\"warm\",\"library\":\"lib\",\"roles\":[\"backdrop\"]}", "roles are for app items")]
    [InlineData("{\"kind\":\"warm\",\"library\":\"lib\",\"ids\":[\"a\"],\"roles\":[\"Back Drop\"]}", "Back Drop")]
    public async Task ABadJobRequest_Is400_WithAReason(string body, string mention)
    {
        using var response = await JobApi.SendAsync(Client, HttpMethod.Post, "/api/jobs", body);
        await HttpAssert.ProblemAsync(response, 400, mention);
    }

    [Fact]
    public async Task UnknownIds_Are404_AndABadStatusFilterIs400()
    {
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/jobs/999"), (HttpMethod.Get, "/api/jobs/999/failures"), (HttpMethod.Post, "/api/jobs/999/pause"),
                     (HttpMethod.Post, "/api/jobs/999/resume"), (HttpMethod.Post, "/api/jobs/999/cancel"), (HttpMethod.Get, "/api/jobs/events?id=999") })
        {
            using var response = await JobApi.SendAsync(Client, method, path);
            await HttpAssert.ProblemAsync(response, 404, "999");
        }

        using var bad = await JobApi.SendAsync(Client, HttpMethod.Get, "/api/jobs?status=sleeping");
        await HttpAssert.ProblemAsync(bad, 400, "sleeping");
    }

    [Fact]
    public async Task EveryJobRoute_NeedsTheAdminKey()
    {
        var routes = new[]
        {
            (HttpMethod.Post, "/api/jobs"), (HttpMethod.Get, "/api/jobs"), (HttpMethod.Get, "/api/jobs/1"), (HttpMethod.Get, "/api/jobs/1/failures"),
            (HttpMethod.Post, "/api/jobs/1/pause"), (HttpMethod.Post, "/api/jobs/1/resume"), (HttpMethod.Post, "/api/jobs/1/cancel"),
            (HttpMethod.Get, "/api/jobs/events"), (HttpMethod.Post, "/api/cache/preload"), (HttpMethod.Post, "/api/libraries/lib/changed"),
        };
        foreach (var (method, path) in routes)
        {
            using (var missing = await JobApi.SendAsync(Client, method, path, """{"kind":"warm","library":"lib"}""", key: null))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
            }

            using (var wrong = await JobApi.SendAsync(Client, method, path, """{"kind":"warm","library":"lib"}""", key: "wrong-key"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            }
        }

        await using var keyless = await TesseraHost.StartAsync(_ => { }, o =>
        {
            JobApi.Configure(o, runJobs: false);
            o.AdminApiKey = null;
        });
        foreach (var (method, path) in routes)
        {
            using var disabled = await JobApi.SendAsync(keyless.Client, method, path, """{"kind":"warm","library":"lib"}""");
            await HttpAssert.ProblemAsync(disabled, 403, "disabled");
        }
    }
}
