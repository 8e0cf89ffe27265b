using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Logging;

public sealed class AccessLogTests
{
    [Fact]
    public async Task AccessLog_On_LogsOneLinePerRequest_WithoutSecrets()
    {
        var capture = new LogCapture();
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 300, 200),
            o =>
            {
                o.Logging.AccessLog = true;
                o.SigningKeys.Add("an-access-log-signing-key-0123456789");
            }, services: capture.AddTo);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/t/lib/grid/a.jpg?format=webp&sig=SECRETSIG&token=SECRETTOKEN", UriKind.Relative));
        request.Headers.UserAgent.ParseAdd("access-log-test/1.0");
        using (var response = await host.Client.SendAsync(request))
        {
            Assert.Equal(200, (int)response.StatusCode);
        }

        using (await host.Client.GetAsync(new Uri("/r/SIGNATURESEGMENT/grid/aHR0cHM6Ly9leGFtcGxlLmNvbS9hLmpwZw", UriKind.Relative)))
        {
        }

        using (await host.Client.GetAsync(new Uri("/t/lib/grid/a.jpg", UriKind.Relative)))
        {
        }

        var lines = await WaitForAsync(capture, 3);
        var first = lines[0];
        Assert.Contains("GET /t/lib/grid/a.jpg?format=webp&sig=REDACTED&token=REDACTED 200 ", first, StringComparison.Ordinal);
        Assert.Contains(" miss ", first, StringComparison.Ordinal);
        Assert.Contains("\"access-log-test/1.0\"", first, StringComparison.Ordinal);
        Assert.Matches(@" 200 \d+ [\d.]+ms miss ", first);
        Assert.Contains("GET /r/REDACTED/grid/aHR0cHM6Ly9leGFtcGxlLmNvbS9hLmpwZw 403 ", lines[1], StringComparison.Ordinal);
        Assert.Contains(" hit ", lines[2], StringComparison.Ordinal);
        // (ASP.NET Core's own request log, which the server filters out below warnings, would show them: only the access log is checked.)
        Assert.All(lines, l => Assert.DoesNotContain("SECRET", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain("SIGNATURESEGMENT", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryLineOfARequest_CarriesItsRequestId()
    {
        // ASP.NET Core's hosting log (and the request scope it brought) is off for speed; the server's own scope keeps
        // the id. The capture logs every category at every level, so it is told to leave that one out as the server does.
        var capture = new LogCapture();
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 300, 200),
            o => o.Logging.AccessLog = true, services: s =>
            {
                capture.AddTo(s);
                s.Configure<LoggerFilterOptions>(o => o.AddFilter<LogCapture>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None));
            });
        using (await host.Client.GetAsync(new Uri("/t/lib/grid/a.jpg", UriKind.Relative)))
        {
        }

        using (await host.Client.GetAsync(new Uri("/t/lib/grid/a.jpg", UriKind.Relative)))
        {
        }

        var lines = await WaitForAsync(capture, 2);
        var ids = lines.Select(l => Assert.Single(System.Text.RegularExpressions.Regex.Matches(l, @" scope: RequestId=(\S+)")).Groups[1].Value).ToList();
        Assert.All(ids, id => Assert.Matches(@"^[0-9A-Z]+:[0-9A-F]{8}$", id)); // Kestrel's connection id : request number
        Assert.NotEqual(ids[0], ids[1]);
    }

    [Fact]
    public async Task AccessLog_IsOffByDefault()
    {
        var capture = new LogCapture();
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 300, 200), services: capture.AddTo);
        using (var response = await host.Client.GetAsync(new Uri("/t/lib/grid/a.jpg", UriKind.Relative)))
        {
            Assert.Equal(200, (int)response.StatusCode);
        }

        await host.App.StopAsync(); // every request logged by now, were the access log on
        Assert.DoesNotContain(capture.Lines, l => l.Contains("[2050]", StringComparison.Ordinal) || l.Contains("Tessera.Access", StringComparison.Ordinal));
    }

    private static async Task<List<string>> WaitForAsync(LogCapture capture, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var lines = capture.Lines.Where(l => l.Contains(" Tessera.Access[2050] ", StringComparison.Ordinal)).ToList();
            if (lines.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(lines.Count == count, $"expected {count} access log lines, got: {string.Join('\n', lines)}");
                return lines;
            }

            await Task.Delay(50);
        }
    }
}
