using System.Net;
using System.Text.Json;

namespace Tessera.Tests.Http;

/// <summary>Negative items over HTTP: the placeholder without a second decode, and GET/DELETE /api/negatives.</summary>
public sealed class NegativeEndpointsTests
{
    [Fact]
    public async Task NegativeItem_GetsItsPlaceholderWithoutADecode_IsListed_AndClearingRetriesIt()
    {
        await using var host = await TesseraHost.StartAsync(root => File.WriteAllText(Path.Combine(root, "lib", "broken.jpg"), "not a jpeg"), o => o.AdminApiKey = "k");
        host.Client.DefaultRequestHeaders.Add("X-Api-Key", "k");
        const string item = "lib/broken.jpg"; // as listed: relative to its library, never the server's path

        for (var i = 0; i < 3; i++)
        {
            using var r = await host.Client.GetAsync("/t/lib/grid/broken.jpg");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("decode-failed", HttpAssert.Header(r, "X-Tessera-Placeholder"));
        }

        Assert.Equal(1, host.Cache.Service.Generations);

        using (var list = await host.Client.GetAsync("/api/negatives?limit=10"))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            using var json = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
            var e = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal(item, e.GetProperty("item").GetString());
            Assert.Equal("decode-failed", e.GetProperty("reason").GetString());
            Assert.Equal("file", e.GetProperty("source").GetString());
            Assert.Equal(1, e.GetProperty("attempts").GetInt32());
            Assert.True(e.GetProperty("retryAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(22));
        }

        using (var timeouts = await host.Client.GetAsync("/api/negatives?reason=timeout"))
        {
            Assert.Equal("[]", await timeouts.Content.ReadAsStringAsync());
        }

        using (var bad = await host.Client.GetAsync("/api/negatives?reason=bogus"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using (var stats = await host.Client.GetAsync("/api/stats"))
        {
            using var json = JsonDocument.Parse(await stats.Content.ReadAsStringAsync());
            Assert.Equal(1, json.RootElement.GetProperty("negativesByReason").GetProperty("decode-failed").GetInt64());
        }

        using (var anonymous = TesseraHost.NewClient(host.BaseAddress, maxConnections: 1))
        {
            using var refused = await anonymous.DeleteAsync(new Uri("/api/negatives", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode); // clearing needs the admin key
            using var hidden = await anonymous.GetAsync(new Uri("/api/negatives", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, hidden.StatusCode); // and so does listing: entries name files and URLs
        }

        using (var other = await host.Client.DeleteAsync("/api/negatives?reason=not-found"))
        {
            Assert.Contains("\"cleared\":0", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var cleared = await host.Client.DeleteAsync("/api/negatives?item=" + Uri.EscapeDataString(item)))
        {
            Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
            Assert.Contains("\"cleared\":1", await cleared.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var list = await host.Client.GetAsync("/api/negatives"))
        {
            Assert.Equal("[]", await list.Content.ReadAsStringAsync());
        }

        using var retried = await host.Client.GetAsync("/t/lib/grid/broken.jpg");
        Assert.Equal("decode-failed", HttpAssert.Header(retried, "X-Tessera-Placeholder"));
        Assert.Equal(2, host.Cache.Service.Generations);
    }
}
