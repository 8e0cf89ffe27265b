using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Tessera.Tests.Support;

namespace Tessera.Tests.Browser;

/// <summary>Debian's Chromium driven by its own chromedriver (both from scripts/install-deps), headless, with a fresh
/// profile: the driver path is given, so Selenium never looks for or downloads one.</summary>
public sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private readonly TempDir _profile = new();

    public Browser()
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(DriverPath))
        {
            throw new InvalidOperationException($"the browser tests need {ChromiumPath} and {DriverPath}: run scripts/install-deps (Debian's chromium and chromium-driver)");
        }

        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", $"--user-data-dir={_profile.Path}", "--window-size=1280,1000");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        Driver = new ChromeDriver(service, options, TimeSpan.FromMinutes(3));
        Driver.Manage().Timeouts().PageLoad = Deadline;
        Driver.Manage().Timeouts().AsynchronousJavaScript = Deadline;
    }

    public ChromeDriver Driver { get; }

    /// <summary>Where screenshots go: TESSERA_SCREENSHOTS (./test sets it under .build/test-results), else the same folder.</summary>
    public static string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("TESSERA_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(RepoRoot.Path, ".build", "test-results", "screenshots");

    public object? Script(string script, params object[] args) => Driver.ExecuteScript(script, args);

    /// <summary>Waits for <paramref name="condition"/> with a generous deadline (a loaded 2-core machine), polling.</summary>
    public static T Until<T>(Func<T?> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = condition();
                if (value is not null && value is not false)
                {
                    return value;
                }
            }
            catch (WebDriverException e)
            {
                last = e; // stale or not there yet
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"waited {Deadline.TotalSeconds} s for {what}; last error: {last?.Message}");
    }

    /// <summary>Opens the dashboard at <paramref name="baseAddress"/> and signs in with <paramref name="key"/> unless a
    /// session is already there.</summary>
    public void SignIn(Uri baseAddress, string key)
    {
        Driver.Navigate().GoToUrl(new Uri(baseAddress, "/"));
        var state = Until(() => Driver.FindElement(By.Id("nav")).Displayed ? "in" : Driver.FindElement(By.Id("page-signin")).Displayed ? "out" : null, "the page to start");
        if (state == "out")
        {
            var field = Driver.FindElement(By.Id("signin-key"));
            field.Clear();
            field.SendKeys(key);
            field.Submit();
            Visible(By.Id("nav"));
        }
    }

    /// <summary>Goes to one of the dashboard's pages (its #hash) and waits for it to show.</summary>
    public void Open(Uri baseAddress, string page)
    {
        Driver.Navigate().GoToUrl(new Uri(baseAddress, $"/#{page}"));
        Visible(By.Id($"page-{page}"));
    }

    public IWebElement Visible(By by) => Until(() => Driver.FindElements(by).FirstOrDefault(e => e.Displayed), $"{by} to be shown");

    public void Screenshot(string name, bool dark = false, Size? size = null)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var window = Driver.Manage().Window;
        var before = window.Size;
        if (size is { } s)
        {
            window.Size = s;
        }

        ColorScheme(dark ? "dark" : "light");
        Thread.Sleep(300); // a repaint after the media change
        Driver.GetScreenshot().SaveAsFile(Path.Combine(ScreenshotFolder, $"{name}{(dark ? "-dark" : "")}.png"));
        ColorScheme("light");
        window.Size = before;
    }

    private void ColorScheme(string scheme) =>
        Driver.ExecuteCdpCommand("Emulation.setEmulatedMedia", new Dictionary<string, object?>
        {
            ["features"] = new[] { new Dictionary<string, object?> { ["name"] = "prefers-color-scheme", ["value"] = scheme } },
        });

    /// <summary>The browser's console lines since the last call, as "LEVEL message".</summary>
    public IReadOnlyList<string> ConsoleErrors() =>
        [.. Driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Severe).Select(e => $"{e.Level} {e.Message}")];

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        _profile.Dispose();
    }
}
