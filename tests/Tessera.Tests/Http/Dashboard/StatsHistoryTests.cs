using System.Net;
using System.Text.Json;
using Tessera.Server.Dashboard;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Dashboard;

public sealed class StatsHistoryTests
{
    [Fact]
    public void TheRing_KeepsTheLastDay_OldestFirst()
    {
        var history = new StatsHistory();
        var t0 = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < StatsHistory.Capacity + 10; i++)
        {
            history.Add(new StatsSample(t0.AddMinutes(i), i, 0, 0, 0, 0, 0));
        }

        var samples = history.Snapshot();
        Assert.Equal(StatsHistory.Capacity, samples.Count);
        Assert.Equal(10, samples[0].Hits);
        Assert.Equal(StatsHistory.Capacity + 9, samples[^1].Hits);
        Assert.True(samples.Zip(samples.Skip(1)).All(p => p.First.At < p.Second.At));
    }

    [Fact]
    public async Task TheServer_SamplesAtStart_AndTheRouteShowsTheTotals()
    {
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 64, 64),
            o => o.AdminApiKey = TesseraHost.AdminKey);
        JsonElement body = default;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            using var response = await host.GetAsAdminAsync("/api/stats/history");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (body.GetProperty("samples").GetArrayLength() > 0)
            {
                break;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(60, body.GetProperty("intervalSeconds").GetInt32());
        var sample = Assert.Single(body.GetProperty("samples").EnumerateArray());
        foreach (var name in new[] { "at", "hits", "misses", "warmed", "placeholders", "bytes", "renditions" })
        {
            Assert.True(sample.TryGetProperty(name, out _), name);
        }

        using var anonymous = await host.Client.GetAsync(new Uri("/api/stats/history", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
