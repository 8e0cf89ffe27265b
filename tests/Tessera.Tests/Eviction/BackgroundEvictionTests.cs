using System.Net;
using System.Text.Json;
using Tessera.Tests.Http;
using Tessera.Tests.Support;

namespace Tessera.Tests.Eviction;

public sealed class BackgroundEvictionTests
{
    [Fact]
    public async Task TheServer_EvictsInTheBackground_AndApiStatsShowsTheBudgetAndEvictions()
    {
        const long Budget = 500;
        await using var host = await TesseraHost.StartAsync(
            root =>
            {
                for (var i = 0; i < 4; i++)
                {
                    Images.WriteSolidJpeg(Path.Combine(root, "lib", $"{i}.jpg"), 300 + (i * 40), 200, (byte)(40 * i), 70, 120);
                }
            },
            o =>
            {
                o.Budget.MaxBytes = Budget;
                o.Budget.Interval = TimeSpan.FromMilliseconds(100);
                o.Budget.FreeDiskBytes = _ => long.MaxValue;
                o.AdminApiKey = TesseraHost.AdminKey;
            });

        long served = 0;
        for (var i = 0; i < 4; i++)
        {
            using var response = await host.Client.GetAsync($"/t/lib/grid/{i}.jpg");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            served += (await response.Content.ReadAsByteArrayAsync()).Length;
        }

        Assert.True(served > Budget, $"the fixture must go over budget: {served} bytes");

        // Waits for the background runs to get within the budget. Not within the 90% target: a run that started
        // mid-requests may have evicted to the target before the last rendition landed between target and budget,
        // where no later run has anything to do. The assertions are on what they did, not on when.
        JsonElement stats;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        do
        {
            await Task.Delay(50, deadline.Token);
            using var response = await host.GetAsAdminAsync("/api/stats", deadline.Token);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(deadline.Token));
            stats = json.RootElement.Clone();
        }
        while (stats.GetProperty("bytes").GetInt64() > Budget);

        Assert.Equal(Budget, stats.GetProperty("budgetBytes").GetInt64());
        Assert.True(stats.GetProperty("budgetUsedRatio").GetDouble() <= 1.0);
        Assert.Equal(JsonValueKind.Number, stats.GetProperty("evictions").ValueKind);

        // Counts are compared once the service has stopped: mid-run, a row can be gone before its eviction is counted.
        await host.App.StopAsync();
        var final = await host.Cache.StatsAsync(default);
        Assert.True(final.Evictions > 0);
        Assert.Equal(4 - final.Evictions, final.Renditions);
    }
}
