using System.Text.Json;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Logging;

/// <summary>`tessera serve --log-format json --access-log` as a real process: what a log shipper reads from stdout.</summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task JsonFormat_EveryLineIsJson_WithItsEventId()
    {
        using var temp = new TempDir();
        var library = temp.Sub("lib");
        Images.WriteSolidJpeg(Path.Combine(library, "a.jpg"), 300, 200);
        await using var serve = await ServeProcess.StartAsync(new Dictionary<string, string>(),
            "--data", Path.Combine(temp.Path, "data"), "--library", $"lib={library}", "--log-format", "json", "--access-log",
            "--signing-key", "a-json-log-test-signing-key-0123456789");
        using (var response = await serve.Client.GetAsync(new Uri("/t/lib/grid/a.jpg?sig=SECRETSIG", UriKind.Relative)))
        {
            Assert.Equal(200, (int)response.StatusCode);
        }

        using (var response = await serve.Client.GetAsync(new Uri("/r/SIGNATURESEGMENT/grid/aHR0cHM6Ly9leGFtcGxlLmNvbS9hLmpwZw", UriKind.Relative)))
        {
            Assert.Equal(403, (int)response.StatusCode);
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!serve.Output.Contains("/r/REDACTED/", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, await serve.StopAsync());
        var lines = serve.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length >= 2, serve.Output);
        var access = 0;
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line); // throws, failing the test, on any line that is not one JSON object
            Assert.True(json.RootElement.TryGetProperty("EventId", out var id) && id.ValueKind == JsonValueKind.Number, line);
            Assert.True(json.RootElement.TryGetProperty("Category", out _) && json.RootElement.TryGetProperty("LogLevel", out _), line);
            if (id.GetInt32() == 2050 && json.RootElement.GetProperty("State") is var state && state.GetProperty("Path").GetString()!.StartsWith("/t/", StringComparison.Ordinal))
            {
                access++; // the start-up probes of /healthz are logged too
                Assert.Equal("/t/lib/grid/a.jpg?sig=REDACTED", state.GetProperty("Path").GetString());
                Assert.Equal(200, state.GetProperty("Status").GetInt32());
                Assert.Equal("miss", state.GetProperty("Cache").GetString());
            }
        }

        Assert.Equal(1, access);
        Assert.DoesNotContain("SECRETSIG", serve.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("SIGNATURESEGMENT", serve.Output, StringComparison.Ordinal);
    }
}
