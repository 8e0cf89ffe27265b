using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Index.Postgres;
using Tessera.Tests.Http;
using Tessera.Tests.Support;

namespace Tessera.Tests.Server;

/// <summary>Two real servers (each its own DI container and data folder) on one PostgreSQL schema and one s3rver bucket,
/// over one library folder: a purge, a cleared negative or an item change on A reaches B's memory through LISTEN/NOTIFY,
/// and B's listener comes back after its connection is killed, dropping its caches.</summary>
public sealed class ReplicaInvalidationTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TempDir _dir = new();
    private readonly PostgresSchema _schema = new();
    private readonly string _bucket = S3StandIn.NewBucket();
    private TesseraHost _a = null!;
    private TesseraHost _b = null!;

    private string Library => Path.Combine(_dir.Path, "lib");

    public async Task InitializeAsync()
    {
        _ = _dir.Sub("lib");
        Images.WriteSolidJpeg(Path.Combine(Library, "a.jpg"), 900, 600);
        Images.WriteSolidJpeg(Path.Combine(Library, "b.jpg"), 600, 900, 20, 60, 220);
        await File.WriteAllBytesAsync(Path.Combine(Library, "bad.jpg"), "not an image at all"u8.ToArray());
        _a = await StartAsync();
        _b = await StartAsync();
        await UntilAsync(() => Task.FromResult(Bus(_a).Connections >= 1 && Bus(_b).Connections >= 1), "both replicas listen");
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    public void Dispose()
    {
        _schema.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task AThumbnailInBsMemory_PurgedThroughA_IsGeneratedAgainOnB()
    {
        const string url = "/t/lib/grid/a.jpg";
        Assert.Equal("miss", await OutcomeAsync(_b, url));
        Assert.Equal("hit", await OutcomeAsync(_b, url));
        Assert.True(_b.App.Services.GetRequiredService<HotCache>().Count > 0, "B holds it in memory");

        using (var purge = await AdminAsync(_a, HttpMethod.Delete, "/api/files/lib/a.jpg"))
        {
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        }

        // Until the event arrives B answers from memory (a hit); after it, the rendition is gone everywhere: a miss.
        await UntilAsync(async () => await OutcomeAsync(_b, url) == "miss", "B generates the purged thumbnail again");
    }

    [Fact]
    public async Task ANegativeClearedOnA_IsClearedOnB()
    {
        (await _b.Client.GetAsync("/t/lib/grid/bad.jpg")).Dispose(); // a placeholder, and a negative entry in B's memory

        var negatives = _b.App.Services.GetRequiredService<NegativeCache>();
        Assert.Contains(negatives.Items(""), i => i.EndsWith("bad.jpg", StringComparison.Ordinal));

        using (var clear = await AdminAsync(_a, HttpMethod.Delete, "/api/negatives?item=lib/bad.jpg"))
        {
            Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        }

        await UntilAsync(() => Task.FromResult(!negatives.Items("").Any(i => i.EndsWith("bad.jpg", StringComparison.Ordinal))), "B forgets the negative entry");
    }

    [Fact]
    public async Task AnItemChangedOnA_IsSeenOnB()
    {
        (await AdminAsync(_a, HttpMethod.Put, "/api/items/lib/x1/cover", new { path = "a.jpg" })).Dispose();
        const string url = "/i/lib/x1/cover?preset=grid";
        string first;
        using (var response = await _b.Client.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            first = response.Headers.ETag!.Tag;
        }

        using (var changed = await AdminAsync(_a, HttpMethod.Put, "/api/items/lib/x1/cover", new { path = "b.jpg" }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        await UntilAsync(async () =>
        {
            using var response = await _b.Client.GetAsync(url);
            return response.StatusCode == HttpStatusCode.OK && response.Headers.ETag!.Tag != first;
        }, "B serves the item's new source");
    }

    [Fact]
    public async Task BsListener_KilledByTheServer_Reconnects_DropsItsCaches_AndHearsPurgesAgain()
    {
        const string url = "/t/lib/grid/a.jpg";
        Assert.Equal("miss", await OutcomeAsync(_b, url));
        Assert.Equal("hit", await OutcomeAsync(_b, url));
        var hot = _b.App.Services.GetRequiredService<HotCache>();
        Assert.True(hot.Count > 0);
        var bus = Bus(_b);
        var before = bus.Connections;

        Assert.True(Terminate(bus.ListenerName) > 0, "B's listening connection was found and killed");

        await UntilAsync(() => Task.FromResult(bus.Connections > before), "B listens again");
        Assert.Equal(0, hot.Count); // events may have been missed meanwhile: memory was dropped

        Assert.Equal("hit", await OutcomeAsync(_b, url)); // from B's local copy, back in memory
        Assert.True(hot.Count > 0);
        (await AdminAsync(_a, HttpMethod.Delete, "/api/files/lib/a.jpg")).Dispose();
        await UntilAsync(async () => await OutcomeAsync(_b, url) == "miss", "B hears A's purge on its new connection");
    }

    private async Task<TesseraHost> StartAsync() =>
        await TesseraHost.StartAsync(_ => { }, o =>
        {
            o.Libraries["lib"] = Library;
            o.AdminApiKey = TesseraHost.AdminKey;
            o.PostgresIndex = _schema.ConnectionString;
            var s3 = S3StandIn.Options(_bucket);
            o.Store.S3Endpoint = s3.S3Endpoint;
            o.Store.Bucket = s3.Bucket;
            o.Store.AccessKeyId = s3.AccessKeyId;
            o.Store.SecretAccessKey = s3.SecretAccessKey;
        });

    private static PostgresInvalidationBus Bus(TesseraHost host) => (PostgresInvalidationBus)host.App.Services.GetRequiredService<IInvalidationBus>();

    private static async Task<string?> OutcomeAsync(TesseraHost host, string url)
    {
        using var response = await host.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return HttpAssert.Header(response, "X-Tessera-Cache");
    }

    private static async Task<HttpResponseMessage> AdminAsync(TesseraHost host, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-Api-Key", TesseraHost.AdminKey);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: TestJson.Options);
        }

        return await host.Client.SendAsync(request);
    }

    private static int Terminate(string applicationName)
    {
        using var connection = new NpgsqlConnection(PostgresSchema.ServerConnectionString());
        connection.Open();
        using var cmd = new NpgsqlCommand("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1) t", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = applicationName });
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for a condition with a generous deadline (a loaded machine is slow, never wrong).</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"not within {Deadline.TotalSeconds} s: {what}");
            await Task.Delay(100);
        }
    }
}
