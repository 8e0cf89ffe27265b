using System.Drawing;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using Tessera.Server.Dashboard;
using Tessera.Tests.Http;
using Tessera.Tests.Http.Jobs;

namespace Tessera.Tests.Browser;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserTests
{
    public const string Name = "Browser";
}

/// <summary>The dashboard in a real browser against real servers: sign-in, figures, jobs live through the events
/// stream, the library browser, the negative cache and the keyboard. Each test also reads the browser's console and
/// fails on any error there; screenshots of each page are saved (see <see cref="Browser.ScreenshotFolder"/>).</summary>
[Collection(BrowserTests.Name)]
public sealed class DashboardBrowserTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private Browser Browser => fixture.Browser;

    private OpenQA.Selenium.Chrome.ChromeDriver Driver => fixture.Browser.Driver;

    [Fact]
    public async Task TheOverview_ShowsTheFiguresOfApiStats()
    {
        var host = fixture.Still; // nothing else makes requests there, so the figures hold still while they are compared
        foreach (var url in new[] { "/t/lib/grid/amber.jpg", "/t/lib/grid/blue.jpg", "/t/lib/grid/amber.jpg", "/t/lib/thumb/green.jpg" })
        {
            using var response = await host.Client.GetAsync(new Uri(url, UriKind.Relative));
            response.EnsureSuccessStatusCode();
        }

        SeedHistory(host);
        SignIn(host);
        Open(host, "overview");
        Browser.Until(() => Driver.FindElement(By.Id("stat-items")).GetAttribute("data-value") is { Length: > 0 }, "the figures");
        using var stats = await host.Client.SendAsync(JobApi.Request(HttpMethod.Get, "/api/stats"));
        stats.EnsureSuccessStatusCode();
        var api = JsonDocument.Parse(await stats.Content.ReadAsStringAsync()).RootElement;
        foreach (var (id, name) in new[] { ("stat-items", "items"), ("stat-renditions", "renditions"), ("stat-hits", "hits"), ("stat-misses", "misses"),
            ("stat-bytes", "bytes"), ("stat-placeholders", "placeholders") })
        {
            Assert.Equal(api.GetProperty(name).GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), Driver.FindElement(By.Id(id)).GetAttribute("data-value"));
        }

        Assert.Equal(3, api.GetProperty("renditions").GetInt64());
        Assert.Equal(1, api.GetProperty("hits").GetInt64());
        Browser.Until(() => Driver.FindElements(By.CssSelector("#chart-requests path.line")).Count == 2, "the requests chart");
        Browser.Screenshot("overview");
        Browser.Screenshot("overview", dark: true);
        Browser.Screenshot("overview-phone", size: new Size(390, 1400));
        NoConsoleErrors();
    }

    [Fact]
    public async Task AWarmStartedFromThePage_ReachesFullProgress_LiveThroughTheEventsStream()
    {
        var host = fixture.Live;
        SignIn(host);
        Open(host, "jobs");
        Browser.Until(() => Driver.FindElement(By.Id("jobs-live")).GetAttribute("class")!.Contains("on", StringComparison.Ordinal), "the events stream to open");
        Driver.FindElement(By.Id("warm-preset-grid")).Click();
        Driver.FindElement(By.Id("warm-start")).Click();
        var started = Browser.Until(() => Driver.FindElement(By.Id("warm-message")).Text is { Length: > 0 } t ? t : null, "the job to start");
        var id = long.Parse(started.Split(' ', '.')[2], System.Globalization.CultureInfo.InvariantCulture);
        var job = Browser.Visible(By.CssSelector($"li[data-job='{id}']"));
        Browser.Until(() => job.GetAttribute("data-status") == "completed" && job.GetAttribute("data-percent") == "100", $"job {id} to reach 100%");
        Assert.Equal("100%", job.FindElement(By.ClassName("percent")).Text);
        Assert.Equal("completed", (await JobApi.GetAsync(host.Client, id)).Status);
        Browser.Screenshot("jobs");
        Browser.Screenshot("jobs", dark: true);
        NoConsoleErrors();
    }

    [Fact]
    public async Task PauseAndResume_MoveTheJob()
    {
        var host = fixture.Still;
        var created = await JobApi.CreateAsync(host.Client, """{"kind":"warm","library":"lib","paths":["Photos"]}""");
        SignIn(host);
        Open(host, "jobs");
        var job = Browser.Visible(By.CssSelector($"li[data-job='{created.Id}']"));
        job.FindElement(By.CssSelector("button[data-action='pause']")).Click();
        Browser.Until(() => job.GetAttribute("data-status") == "paused", "the job to pause");
        Assert.Equal("paused", (await JobApi.GetAsync(host.Client, created.Id)).Status);
        Browser.Visible(By.CssSelector($"li[data-job='{created.Id}'] button[data-action='resume']")).Click();
        Browser.Until(() => job.GetAttribute("data-status") == "queued", "the job to resume");
        Assert.Equal("queued", (await JobApi.GetAsync(host.Client, created.Id)).Status);
        NoConsoleErrors();
    }

    [Fact]
    public void TheLibraryBrowser_WalksFolders_AndShowsThumbnailsServedByTessera()
    {
        var host = fixture.Live;
        SignIn(host);
        Open(host, "libraries");
        Browser.Until(() => Driver.FindElements(By.CssSelector("#tiles img")).Count == 4, "the library's four images");
        AllLoaded();
        Browser.Visible(By.XPath("//button[@class='folder' and text()='Photos']")).Click();
        Browser.Until(() => Driver.FindElements(By.CssSelector("#crumbs [aria-current]")).FirstOrDefault()?.Text == "Photos", "the Photos folder");
        Browser.Until(() => Driver.FindElements(By.CssSelector("#tiles img")).Count >= 3, "the photos");
        Assert.All(Driver.FindElements(By.CssSelector("#tiles img")), img => Assert.StartsWith($"{host.BaseAddress}t/lib/grid/Photos/", img.GetAttribute("src")!, StringComparison.Ordinal));
        AllLoaded();
        Browser.Screenshot("libraries");
        Browser.Screenshot("libraries", dark: true);
        Browser.Screenshot("libraries-phone", size: new Size(390, 1200));

        Driver.FindElements(By.CssSelector("#tiles button.tile"))[0].Click();
        var findings = Browser.Visible(By.Id("detail-findings"));
        Browser.Until(() => findings.Text.Contains("Source", StringComparison.Ordinal) ? findings : null, "the source chain's findings");
        Assert.Contains("file", findings.Text, StringComparison.Ordinal);
        Browser.Until(() => (bool)Browser.Script("const i = document.getElementById('detail-image'); return i.complete && i.naturalWidth > 0;")!, "the detail image");
        Browser.Screenshot("detail");
        Driver.FindElement(By.Id("detail-close")).Click();
        NoConsoleErrors();
    }

    [Fact]
    public async Task TheNegativeCache_ListsEntriesByReason_AndClearsThem()
    {
        var host = fixture.Live;
        var broken = Path.Combine(host.LibraryPath, "Broken");
        Directory.CreateDirectory(broken);
        await File.WriteAllBytesAsync(Path.Combine(broken, "truncated.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5]);
        using (var placeholder = await host.Client.GetAsync(new Uri("/t/lib/grid/Broken/truncated.jpg", UriKind.Relative)))
        {
            Assert.Equal("decode-failed", HttpAssert.Header(placeholder, "X-Tessera-Placeholder"));
        }

        SignIn(host);
        Open(host, "negatives");
        var row = Browser.Visible(By.XPath("//table[@id='negatives-reasons']//tr[td[1][text()='decode-failed']]"));
        Assert.Equal("1", row.FindElements(By.TagName("td"))[1].Text);
        Browser.Visible(By.XPath("//table[@id='negatives-entries']//code[text()='lib/Broken/truncated.jpg']"));
        Browser.Screenshot("negatives");
        row.FindElement(By.TagName("button")).Click();
        Browser.Until(() => Driver.FindElement(By.Id("negatives-message")).Text == "Cleared 1 entries.", "the entries to be cleared");
        Browser.Visible(By.XPath("//table[@id='negatives-reasons']//td[text()='No negative entries.']"));
        NoConsoleErrors();
    }

    [Fact]
    public void AWrongKey_IsRefused_WithAClearMessage()
    {
        var host = fixture.Live;
        SignIn(host);
        Browser.Visible(By.Id("signout")).Click();
        var key = Browser.Visible(By.Id("signin-key"));
        Assert.Null(Driver.Manage().Cookies.GetCookieNamed("tessera_session"));
        key.SendKeys("not-the-admin-key");
        Driver.FindElement(By.CssSelector("#signin-form button[type='submit']")).Click();
        Browser.Until(() => Driver.FindElement(By.Id("signin-message")).Text == "Wrong admin key.", "the refusal");
        Assert.Null(Driver.Manage().Cookies.GetCookieNamed("tessera_session"));
        Assert.False(Driver.FindElement(By.Id("nav")).Displayed);
        Browser.Screenshot("signin");
        Browser.Screenshot("signin", dark: true);
        // The refused sign-in's 401 is the one console line expected here.
        Assert.DoesNotContain(Browser.ConsoleErrors(), e => !e.Contains("/api/session", StringComparison.Ordinal) || !e.Contains("401", StringComparison.Ordinal));

        SignIn(host);
        var cookie = Driver.Manage().Cookies.GetCookieNamed("tessera_session");
        Assert.NotNull(cookie);
        Assert.True(cookie.IsHttpOnly);
        Assert.Equal("Strict", cookie.SameSite);
        Assert.DoesNotContain(JobApi.Key, cookie.Value, StringComparison.Ordinal);
        NoConsoleErrors();
    }

    [Fact]
    public void TheKeyboard_ReachesTheMainControls()
    {
        var host = fixture.Live;
        SignIn(host);
        Open(host, "overview");
        Driver.Navigate().Refresh();
        Browser.Visible(By.Id("nav"));
        var reached = Tabs(12);
        foreach (var expected in new[] { "Skip to content", "Overview", "Jobs", "Negative cache", "Libraries", "signout" })
        {
            Assert.Contains(expected, reached);
        }

        // Enter on the focused Jobs link opens the page; Tab then reaches the warm form.
        Browser.Script("document.querySelector(\"#nav a[data-page='jobs']\").focus();");
        new Actions(Driver).SendKeys(Keys.Enter).Perform();
        Browser.Visible(By.Id("warm-start"));
        var onJobs = Tabs(20);
        Assert.Contains("warm-library", onJobs);
        Assert.Contains("warm-start", onJobs);
        NoConsoleErrors();
    }

    /// <summary>Presses Tab <paramref name="count"/> times, naming each focused element by its id or its text.</summary>
    private List<string> Tabs(int count)
    {
        var reached = new List<string>();
        for (var i = 0; i < count; i++)
        {
            new Actions(Driver).SendKeys(Keys.Tab).Perform();
            reached.Add((string)Browser.Script("const e = document.activeElement; return e.id || e.textContent.trim();")!);
        }

        return reached;
    }

    private void SignIn(TesseraHost host) => Browser.SignIn(host.BaseAddress, JobApi.Key);

    private void Open(TesseraHost host, string page) => Browser.Open(host.BaseAddress, page);

    private void AllLoaded() =>
        Browser.Until(() => (bool)Browser.Script(
            "const imgs = [...document.querySelectorAll('#tiles img')]; return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0);")!,
            "every thumbnail to load (naturalWidth > 0)");

    private void NoConsoleErrors() => Assert.Empty(Browser.ConsoleErrors());

    /// <summary>Two hours of earlier samples before the server's own, so the charts have a past to draw (a server just
    /// started has one sample).</summary>
    private static void SeedHistory(TesseraHost host)
    {
        var history = host.App.Services.GetRequiredService<StatsHistory>();
        var now = DateTimeOffset.UtcNow;
        var seeded = new List<StatsSample>();
        long hits = 0, misses = 0, bytes = 0;
        for (var minute = 120; minute > 0; minute--)
        {
            var wave = 1 + Math.Sin(minute / 9.0);
            hits += (long)(40 * wave) + (minute % 7);
            misses += (long)(6 * (2 - wave)) + (minute % 3);
            bytes += 20_000 * (minute % 5);
            seeded.Add(new StatsSample(now.AddMinutes(-minute), hits, misses, 0, 0, bytes, misses));
        }

        var current = history.Snapshot();
        foreach (var sample in seeded.Concat(current.Select(c => c with { Hits = c.Hits + hits, Misses = c.Misses + misses, Bytes = c.Bytes + bytes })))
        {
            history.Add(sample);
        }
    }
}
