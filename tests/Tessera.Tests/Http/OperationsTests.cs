using System.Net;
using System.Text.Json;
using Tessera.Vips;

namespace Tessera.Tests.Http;

/// <summary>GET /healthz and GET /api/stats.</summary>
public sealed class OperationsTests(LibraryServer server) : IClassFixture<LibraryServer>
{
    private HttpClient Client => server.Host.Client;

    [Fact]
    public async Task Healthz_IsOk_WithTheLibvipsVersion()
    {
        using var response = await server.Host.GetAsAdminAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("ok", root.GetProperty("status").GetString());
        var version = root.GetProperty("libvips").GetString();
        Assert.Matches(@"^\d+\.\d+\.\d+$", version);
        Assert.Equal(VipsRuntime.Version, version);
        Assert.True(root.GetProperty("dataWritable").GetBoolean());
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_WithoutTheKey_TellsTheStatusOnly(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("{\"status\":\"ok\"}", body);
        Assert.DoesNotContain(server.Host.Root, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_AfterTraffic_ReportItemsRenditionsBytesHitsMissesAndGenerationTimes()
    {
        // Traffic: two misses, three hits, one placeholder.
        foreach (var url in new[] { "/t/lib/grid/a.jpg", "/t/lib/thumb/b.jpg", "/t/lib/grid/a.jpg", "/t/lib/grid/a.jpg", "/t/lib/thumb/b.jpg", "/t/lib/grid/missing.jpg" })
        {
            using var r = await Client.GetAsync(url);
            Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{url}: {r.StatusCode}");
        }

        using (var anonymous = await Client.GetAsync("/api/stats"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode); // budget, disk and negatives are the operator's
        }

        using var response = await server.Host.GetAsAdminAsync("/api/stats");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;

        Assert.True(root.GetProperty("items").GetInt64() >= 2);
        Assert.True(root.GetProperty("renditions").GetInt64() >= 2);
        Assert.True(root.GetProperty("bytes").GetInt64() > 0);
        var hits = root.GetProperty("hits").GetInt64();
        var misses = root.GetProperty("misses").GetInt64();
        Assert.True(hits >= 3, $"hits {hits}");
        Assert.True(misses >= 2, $"misses {misses}");
        var ratio = root.GetProperty("hitRatio").GetDouble();
        Assert.InRange(ratio, 0.0, 1.0);
        Assert.Equal(Math.Round((double)hits / (hits + misses), 4), ratio, 4);
        Assert.True(root.GetProperty("placeholders").GetInt64() >= 1);

        var generation = root.GetProperty("generation");
        var p50 = generation.GetProperty("p50Ms").GetDouble();
        var p95 = generation.GetProperty("p95Ms").GetDouble();
        var p99 = generation.GetProperty("p99Ms").GetDouble();
        Assert.True(p50 > 0, $"p50 {p50}");
        Assert.True(p50 <= p95 && p95 <= p99, $"p50 {p50}, p95 {p95}, p99 {p99}");
    }
}
