using System.Net;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Limits;

/// <summary>Per-client limits through the real server: misses past Limits:MissesPerMinute and /api/ calls past
/// Limits:ApiPerMinute are 429 with Retry-After and a reason; hits are never limited; X-Forwarded-For names the
/// client only behind a trusted proxy.</summary>
public sealed class ClientLimitTests
{
    [Fact]
    public async Task MissesPastTheLimit_Get429WithRetryAfter_WhileHitsStayUnlimited()
    {
        await using var host = await TesseraHost.StartAsync(root =>
        {
            for (var i = 0; i < 5; i++)
            {
                Images.WriteSolidJpeg(Path.Combine(root, "lib", $"p{i}.jpg"), 64, 48, (byte)(40 * i), 100, 50);
            }
        }, o => o.Limits.MissesPerMinute = 3);

        using (var first = await host.Client.GetAsync(new Uri("/t/lib/thumb/p0.jpg", UriKind.Relative)))
        {
            Assert.Equal("miss", HttpAssert.Header(first, "X-Tessera-Cache"));
        }

        for (var i = 0; i < 20; i++)
        {
            using var hit = await host.Client.GetAsync(new Uri("/t/lib/thumb/p0.jpg", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
            Assert.Equal("hit", HttpAssert.Header(hit, "X-Tessera-Cache"));
        }

        foreach (var name in new[] { "p1.jpg", "p2.jpg" })
        {
            using var miss = await host.Client.GetAsync(new Uri($"/t/lib/thumb/{name}", UriKind.Relative));
            Assert.Equal("miss", HttpAssert.Header(miss, "X-Tessera-Cache"));
        }

        var generations = host.Cache.Service.Generations;
        using var refused = await host.Client.GetAsync(new Uri("/t/lib/thumb/p3.jpg", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Contains("Limits:MissesPerMinute", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(generations, host.Cache.Service.Generations); // nothing was generated for it

        using var otherPreset = await host.Client.GetAsync(new Uri("/t/lib/grid/p0.jpg", UriKind.Relative));
        using var sameHit = await host.Client.GetAsync(new Uri("/t/lib/thumb/p0.jpg", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, otherPreset.StatusCode); // another preset is a miss too
        Assert.Equal("hit", HttpAssert.Header(sameHit, "X-Tessera-Cache"));

        var metrics = await host.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Matches("""tessera_requests_total\{outcome="rate_limited"\} [1-9]""", metrics);
    }

    [Fact]
    public async Task ApiCallsPastTheLimit_Get429WithRetryAfter_ButImagesDoNot()
    {
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 64, 48), o =>
        {
            o.AdminApiKey = TesseraHost.AdminKey;
            o.Limits.ApiPerMinute = 3;
        });

        for (var i = 0; i < 3; i++)
        {
            using var ok = await host.GetAsAdminAsync("/api/stats");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var refused = await host.GetAsAdminAsync("/api/stats");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Contains("Limits:ApiPerMinute", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        for (var i = 0; i < 5; i++)
        {
            using var image = await host.Client.GetAsync(new Uri("/t/lib/thumb/a.jpg", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        }
    }

    [Fact]
    public async Task ForwardedFor_NamesTheClient_OnlyBehindATrustedProxy()
    {
        await using var untrusted = await TesseraHost.StartAsync(_ => { }, o => o.Limits.ApiPerMinute = 2);
        await using var trusted = await TesseraHost.StartAsync(_ => { }, o =>
        {
            o.Limits.ApiPerMinute = 2;
            o.Limits.TrustedProxies.Add("127.0.0.1");
        });

        var statuses = new Dictionary<string, List<HttpStatusCode>>();
        foreach (var (name, host) in new[] { ("untrusted", untrusted), ("trusted", trusted) })
        {
            statuses[name] = [];
            for (var i = 0; i < 4; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/stats", UriKind.Relative));
                request.Headers.Add("X-Forwarded-For", $"203.0.113.{i}");
                using var response = await host.Client.SendAsync(request);
                statuses[name].Add(response.StatusCode);
            }
        }

        // Without a trusted proxy the header is the client's own claim: all four are one client (127.0.0.1).
        Assert.Equal(2, statuses["untrusted"].Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses["trusted"]);
    }
}
