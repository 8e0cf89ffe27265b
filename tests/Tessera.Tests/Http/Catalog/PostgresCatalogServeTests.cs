using System.Text.Json;
using Npgsql;
using Tessera.Core.Catalog;
using Tessera.Tests.Http.Jobs;
using Tessera.Tests.Support;
using Tessera.Tests.Support.StashStandIn;

namespace Tessera.Tests.Http.Catalog;

/// <summary>The catalog on a PostgreSQL index end to end: a real server whose index is a schema of its own syncs the
/// Stash stand-in at start as a job, and the catalog is browsable, searchable and restricted through the HTTP API,
/// from rows that are in PostgreSQL (as <see cref="CatalogServeTests"/> does on SQLite).</summary>
public sealed class PostgresCatalogServeTests : IDisposable
{
    private readonly PostgresSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public async Task ASyncIntoPostgres_IsBrowsableSearchableAndRestricted_ThroughTheApi()
    {
        await using var stash = await StashStandIn.StartAsync();
        await using var host = await TesseraHost.StartAsync(_ => { }, o =>
        {
            JobApi.Configure(o);
            o.PostgresIndex = _schema.ConnectionString;
            o.Catalogs["stash"] = new CatalogOptions { Name = "stash", Url = stash.BaseAddress, ApiKey = stash.ApiKey };
        });

        var job = await CatalogServeTests.WaitForSyncAsync(host.Client);
        var done = await JobApi.FinishedAsync(host.Client, job.GetProperty("id").GetInt64());
        Assert.Equal(("completed", 0L), (done.Status, done.Failed));
        Assert.Equal(40L, Scalar($"SELECT count(*) FROM {_schema.Name}.catalog_entities WHERE type = 'scenes' AND deleted_at IS NULL"));
        Assert.False(File.Exists(Path.Combine(host.Root, "data", "tessera.db")), "the index is in PostgreSQL, not in the data folder");

        var page = await GetAsync(host.Client, "/api/catalog/stash/scenes?perPage=5&sort=id");
        Assert.Equal(40, page.GetProperty("count").GetInt64()); // the stand-in's default data set
        Assert.Equal(5, page.GetProperty("items").GetArrayLength());
        var cafe = await GetAsync(host.Client, "/api/catalog/stash/scenes?q=cafe");
        Assert.Equal(["Café scene 16", "Café scene 27", "Café scene 38", "Café scene 5"],
            cafe.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()).Order(StringComparer.Ordinal));

        var tag = page.GetProperty("items").EnumerateArray().SelectMany(i => i.GetProperty("relations").TryGetProperty("tags", out var t) ? t.EnumerateArray() : [])
            .First().GetString()!;
        var tagged = (await GetAsync(host.Client, $"/api/catalog/stash/scenes?tag={tag}")).GetProperty("count").GetInt64();
        Assert.InRange(tagged, 1, 39);
        using (var put = await JobApi.SendAsync(host.Client, HttpMethod.Put, "/api/catalog/stash/users/bob/restrictions",
            $$"""[{"type":"tags","mode":"exclude","ids":["{{tag}}"]}]"""))
        {
            put.EnsureSuccessStatusCode();
        }

        Assert.Equal(40 - tagged, (await GetAsync(host.Client, "/api/catalog/stash/scenes?user=bob")).GetProperty("count").GetInt64());
        Assert.Equal(40 - tagged, (await GetAsync(host.Client, "/api/catalog/stash/stats?user=bob")).GetProperty("counts").GetProperty("scenes").GetInt64());
        Assert.Equal(40, (await GetAsync(host.Client, "/api/catalog/stash/stats")).GetProperty("counts").GetProperty("scenes").GetInt64());
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await JobApi.SendAsync(client, HttpMethod.Get, path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static long Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(PostgresSchema.ServerConnectionString());
        connection.Open();
        using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
