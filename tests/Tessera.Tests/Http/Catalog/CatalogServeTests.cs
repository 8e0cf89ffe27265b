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

    private static async Task<JsonElement> WaitForSyncAsync(HttpClient client)
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
