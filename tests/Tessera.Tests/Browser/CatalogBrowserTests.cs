using System.Drawing;
using System.Globalization;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using Tessera.Core.Catalog;
using Tessera.Tests.Http.Jobs;

namespace Tessera.Tests.Browser;

/// <summary>The dashboard's catalog section in a real browser against a real server syncing the loopback Stash
/// stand-in: per upstream and per entity type it shows what <c>GET /api/catalog/stash</c> reports, and a sync started
/// from the page (by keyboard) is followed to its end through the jobs event stream.</summary>
[Collection(BrowserTests.Name)]
public sealed class CatalogBrowserTests(CatalogDashboardFixture fixture) : IClassFixture<CatalogDashboardFixture>
{
    private const string Panel = "section[data-catalog='stash']";

    private Browser Browser => fixture.Browser;

    private OpenQA.Selenium.Chrome.ChromeDriver Driver => fixture.Browser.Driver;

    [Fact]
    public async Task TheCatalog_ShowsTheApisSyncStatus_PerUpstreamAndType_AndASyncFromThePageEndsLive()
    {
        var client = fixture.Host.Client;
        var startup = await LatestSyncJobAsync(client);
        Assert.Equal("completed", (await JobApi.FinishedAsync(client, startup)).Status);

        Browser.SignIn(fixture.Host.BaseAddress, JobApi.Key);
        Browser.Open(fixture.Host.BaseAddress, "catalog");
        var panel = Browser.Visible(By.CssSelector(Panel));
        Browser.Until(() => panel.GetAttribute("data-state") == "synced", "the catalog's state to read synced");
        var before = await AssertShowsApiStatusAsync(expectedTotal: CatalogTypes.All.Sum(t => fixture.Stash.Data.All(t).Count()));
        Browser.Screenshot("catalog");
        Browser.Screenshot("catalog", dark: true);
        Browser.Screenshot("catalog-phone", size: new Size(390, 1400));

        // A full sync from the keyboard: the mode picked, then Enter on the button.
        Browser.Until(() => Driver.FindElement(By.Id("catalog-live")).GetAttribute("class")!.Contains("on", StringComparison.Ordinal), "the events stream to open");
        Browser.Script("const m = document.getElementById('catalog-stash-mode'); m.value = 'full'; document.getElementById('catalog-stash-sync').focus();");
        new Actions(Driver).SendKeys(Keys.Enter).Perform();
        var started = Browser.Until(() => Driver.FindElement(By.Id("catalog-stash-message")).Text is { Length: > 0 } t ? t : null, "the sync to start");
        var id = long.Parse(started.Split(' ', '.')[2], CultureInfo.InvariantCulture);
        Assert.True(id > startup, started);
        var line = Driver.FindElement(By.CssSelector($"{Panel} .job-progress"));
        Browser.Until(() => line.GetAttribute("data-job") == id.ToString(CultureInfo.InvariantCulture) && line.GetAttribute("data-status") == "completed"
            && line.GetAttribute("data-percent") == "100", $"sync job {id} to complete on the page");
        Browser.Until(() => panel.GetAttribute("data-state") == "synced"
            && Driver.FindElement(By.CssSelector($"{Panel} .last-sync")).GetAttribute("data-value") != before, "the panel to show the new sync");

        Assert.Equal("completed", (await JobApi.GetAsync(client, id)).Status);
        await AssertShowsApiStatusAsync(expectedTotal: null);
        foreach (var type in CatalogTypes.All)
        {
            Assert.NotEqual("", Cell(type, 3).GetAttribute("data-value")); // a full sync sets every type's last full sync
        }

        Assert.Empty(Browser.ConsoleErrors());
    }

    /// <summary>The panel against the API: each type's count, last sync, last full sync and result, and the catalog's
    /// total and latest sync. Returns the latest sync.</summary>
    private async Task<string> AssertShowsApiStatusAsync(int? expectedTotal)
    {
        using var response = await JobApi.SendAsync(fixture.Host.Client, HttpMethod.Get, "/api/catalog/stash");
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var types = document.RootElement.GetProperty("types").EnumerateArray().ToList();
        Assert.Equal(CatalogTypes.All.Count, types.Count);
        Browser.Until(() => Driver.FindElements(By.CssSelector($"{Panel} tbody tr")).Count == types.Count, "a row per type");
        long total = 0;
        var latest = "";
        foreach (var type in types)
        {
            var name = type.GetProperty("type").GetString()!;
            var count = type.GetProperty("count").GetInt64();
            var lastSync = type.GetProperty("lastSync").GetString()!;
            Assert.Equal(count.ToString(CultureInfo.InvariantCulture), Cell(name, 1).GetAttribute("data-value"));
            Assert.Equal(count.ToString("N0", CultureInfo.GetCultureInfo("en-US")), Cell(name, 1).Text);
            Assert.Equal(lastSync, Cell(name, 2).GetAttribute("data-value"));
            Assert.Equal(type.TryGetProperty("lastFullSync", out var full) ? full.GetString() : "", Cell(name, 3).GetAttribute("data-value"));
            Assert.Equal(type.GetProperty("lastResult").GetString(), Cell(name, 4).Text);
            total += count;
            latest = latest.Length == 0 || Parse(lastSync) > Parse(latest) ? lastSync : latest;
        }

        Assert.True(total > 0);
        if (expectedTotal is { } expected)
        {
            Assert.Equal(expected, total);
        }

        Assert.Equal(total.ToString(CultureInfo.InvariantCulture), Driver.FindElement(By.CssSelector($"{Panel} .total")).GetAttribute("data-value"));
        Assert.Equal(latest, Driver.FindElement(By.CssSelector($"{Panel} .last-sync")).GetAttribute("data-value"));
        return latest;
    }

    private static DateTimeOffset Parse(string time) => DateTimeOffset.Parse(time, CultureInfo.InvariantCulture);

    /// <summary>A cell of a type's row: 0 the type, 1 entities, 2 last sync, 3 last full sync, 4 result.</summary>
    private IWebElement Cell(string type, int column) =>
        Driver.FindElement(By.CssSelector($"{Panel} tr[data-type='{type}']")).FindElements(By.CssSelector("th, td"))[column];

    private static async Task<long> LatestSyncJobAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + Browser.Deadline;
        while (true)
        {
            using var response = await JobApi.SendAsync(client, HttpMethod.Get, "/api/jobs?kind=catalog-sync");
            response.EnsureSuccessStatusCode();
            using var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (list.RootElement.GetProperty("jobs") is { ValueKind: JsonValueKind.Array } jobs && jobs.GetArrayLength() > 0)
            {
                return jobs[0].GetProperty("id").GetInt64();
            }

            Assert.True(DateTime.UtcNow < deadline, "no catalog-sync job was queued at start");
            await Task.Delay(100);
        }
    }
}
