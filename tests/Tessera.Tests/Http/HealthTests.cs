using System.Net;
using System.Text.Json;

namespace Tessera.Tests.Http;

public sealed class HealthTests
{
    [Fact]
    public async Task Readyz_ListsEveryCheck_AndIsOkOnAHealthyServer()
    {
        await using var host = await TesseraHost.StartAsync(_ => { }, o => o.AdminApiKey = TesseraHost.AdminKey);
        using var response = await host.GetAsAdminAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var names = json.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Equal(["database", "data folder", "free disk", "libvips", "ffmpeg", "queue", "libraries", "background", "index writable"], names);
        Assert.All(json.RootElement.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("ok").GetBoolean()));
    }

    [Fact]
    public async Task MissingFfmpeg_Is503_WithTheReason()
    {
        await using var host = await TesseraHost.StartAsync(_ => { }, o =>
        {
            o.Ffmpeg.FfmpegPath = "/nonexistent/ffmpeg";
            o.AdminApiKey = TesseraHost.AdminKey;
        });
        foreach (var path in new[] { "/healthz", "/readyz" })
        {
            using (var anonymous = await host.Client.GetAsync(new Uri(path, UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, anonymous.StatusCode); // the same status, without the details
                Assert.Equal("{\"status\":\"unhealthy\"}", await anonymous.Content.ReadAsStringAsync());
            }

            using var response = await host.GetAsAdminAsync(path);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("unhealthy", json.RootElement.GetProperty("status").GetString());
            Assert.Contains("ffmpeg", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
    }
}
