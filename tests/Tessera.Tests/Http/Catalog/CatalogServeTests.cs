using System.Text.Json;
using Tessera.Core.Catalog;
using Tessera.Tests.Http.Jobs;
using Tessera.Tests.Support.StashStandIn;

namespace Tessera.Tests.Http.Catalog;

/// <summary>A configured Stash catalog in a real server, with nothing asked of it: the start-up trigger queues a smart
/// sync as a job, the job syncs every type from the (loopback) Stash stand-in, and the catalog is browsable.</summary>
public sealed class CatalogServeTests
{
    [Fact]
    public async Task TheServer_SyncsAConfiguredCatalogAtStart_AsAJob_AndItIsBrowsable()
    {
        await using var stash = await StashStandIn.StartAsync();
        await using var host = await TesseraHost.StartAsync(_ => { }, o =>
        {
            JobApi.Configure(o); // jobs on; no start-up or scheduled warms, no watcher
            o.Catalogs["stash"] = new CatalogOptions { Name = "stash", Url = stash.BaseAddress, ApiKey = stash.ApiKey };
        });

        var job = await WaitForSyncAsync(host.Client);
        Assert.Equal("startup", job.GetProperty("trigger").GetString());
        var done = await JobApi.FinishedAsync(host.Client, job.GetProperty("id").GetInt64());
        Assert.Equal(("completed", 0L), (done.Status, done.Failed));

        using var scenes = await JobApi.SendAsync(host.Client, HttpMethod.Get, "/api/catalog/stash/scenes?perPage=5");
        scenes.EnsureSuccessStatusCode();
        using var page = JsonDocument.Parse(await scenes.Content.ReadAsStringAsync());
        Assert.Equal(40, page.RootElement.GetProperty("count").GetInt64()); // the stand-in's default data set
        Assert.Equal(5, page.RootElement.GetProperty("items").GetArrayLength());
        Assert.True(stash.GraphQlRequests > 0);
    }

    [Fact]
    public async Task Notify_CreatesUpdatesAndDestroys_ThroughTheStashStandIn()
    {
        await using var stash = await StashStandIn.StartAsync();
        await using var host = await TesseraHost.StartAsync(_ => { }, o =>
        {
            JobApi.Configure(o);
            o.Catalogs["stash"] = new CatalogOptions { Name = "stash", Url = stash.BaseAddress, ApiKey = stash.ApiKey };
        });
        await JobApi.FinishedAsync(host.Client, (await WaitForSyncAsync(host.Client)).GetProperty("id").GetInt64());
        var added = stash.Add("scenes", "Fresh");
        var path = $"/api/catalog/stash/scenes/{added.Id}";

        Assert.Equal("upserted", (await NotifyAsync(host.Client, "scene", added.Id, "create")).GetProperty("result").GetString());
        Assert.Equal("Fresh", await TitleAsync(host.Client, path));
        stash.Update("scenes", added.Id, e => e.Title = "Renamed");
        await NotifyAsync(host.Client, "scenes", added.Id, "update");
        Assert.Equal("Renamed", await TitleAsync(host.Client, path));
        stash.Delete("scenes", added.Id);
        Assert.Equal("deleted", (await NotifyAsync(host.Client, "scene", added.Id, "destroy")).GetProperty("result").GetString());
        using var gone = await JobApi.SendAsync(host.Client, HttpMethod.Get, path);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    private static async Task<JsonElement> NotifyAsync(HttpClient client, string type, long id, string action)
    {
        using var response = await JobApi.SendAsync(client, HttpMethod.Post, "/api/catalog/stash/notify", $$"""{"type":"{{type}}","id":"{{id}}","action":"{{action}}"}""");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static async Task<string?> TitleAsync(HttpClient client, string path)
    {
        using var response = await JobApi.SendAsync(client, HttpMethod.Get, path);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("entity").GetProperty("title").GetString();
    }

    internal static async Task<JsonElement> WaitForSyncAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            using var response = await JobApi.SendAsync(client, HttpMethod.Get, "/api/jobs?kind=catalog-sync");
            response.EnsureSuccessStatusCode();
            using var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (list.RootElement.GetProperty("jobs") is { ValueKind: JsonValueKind.Array } jobs && jobs.GetArrayLength() > 0)
            {
                return jobs[0].Clone();
            }

            Assert.True(DateTime.UtcNow < deadline, "no catalog-sync job was queued at start");
            await Task.Delay(100);
        }
    }
}
