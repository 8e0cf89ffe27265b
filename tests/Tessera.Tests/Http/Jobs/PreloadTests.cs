using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.Core.Signing;
using Tessera.Tests.Remote;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Jobs;

/// <summary>POST /api/cache/preload (VinylVault's API) against a real provider on loopback: the job fetches and renders
/// each URL once, and the signed /r/ URL of the same image is then a hit without asking the provider again.</summary>
public sealed class PreloadTests : IAsyncLifetime
{
    private const string SigningKey = "preload-tests-signing-key-01";
    private static readonly byte[][] Covers = [Images.SolidJpeg(900, 900, 30, 90, 200), Images.SolidJpeg(900, 900, 200, 90, 30), Images.SolidJpeg(900, 900, 90, 200, 30)];
    private Upstream _upstream = null!;
    private TesseraHost _host = null!;

    public async Task InitializeAsync()
    {
        _upstream = await Upstream.StartAsync((app, _) =>
        {
            app.MapGet("/covers/{n}.jpg", (int n) => n < 3 ? Results.Bytes(Covers[n], "image/jpeg") : Results.NotFound());
        });
        _host = await TesseraHost.StartAsync(_ => { }, o =>
        {
            JobApi.Configure(o);
            o.Remote.AllowedNetworks.Add("127.0.0.1/32");
            o.Remote.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
            o.SigningKeys.Add(SigningKey);
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task APreloadJob_WarmsEachUrl_AndTheSignedUrlIsThenAHit()
    {
        var urls = new[] { _upstream.Url("/covers/1.jpg").AbsoluteUri, _upstream.Url("/covers/2.jpg").AbsoluteUri, _upstream.Url("/covers/9.jpg").AbsoluteUri };
        var job = await JobApi.CreateAsync(_host.Client, $$"""{"urls":["{{urls[0]}}","{{urls[1]}}","{{urls[2]}}"],"preset":"grid"}""", "/api/cache/preload");
        Assert.Equal(("preload", "manual"), (job.Kind, job.Trigger));

        var done = await JobApi.FinishedAsync(_host.Client, job.Id);
        Assert.Equal(("completed", 3L, 2L, 1L), (done.Status, done.Total, done.Completed, done.Failed));
        Assert.Equal(1, _upstream.Hits("/covers/1.jpg"));

        var signer = new UrlSigner([SigningKey]);
        foreach (var url in urls[..2])
        {
            using var response = await _host.Client.GetAsync(signer.Sign("grid", url));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("hit", HttpAssert.Header(response, "X-Tessera-Cache"));
        }

        Assert.Equal(1, _upstream.Hits("/covers/1.jpg"));
        Assert.Equal(1, _upstream.Hits("/covers/2.jpg"));
    }

    [Theory]
    [InlineData("{\"urls\":[],\"preset\":\"grid\"}", "urls")]
    [InlineData("{\"urls\":[\"https://example.com/a.jpg\"]}", "preset")]
    [InlineData("{\"urls\":[\"https://example.com/a.jpg\"],\"preset\":\"huge\"}", "huge")]
    [InlineData("{\"urls\":[\"file:///etc/passwd\"],\"preset\":\"grid\"}", "file:///etc/passwd")]
    [InlineData("{\"urls\":\"https://example.com/a.jpg\",\"preset\":\"grid\"}", "expected a JSON body")]
    public async Task ABadPreload_Is400_WithAReason(string body, string mention)
    {
        using var response = await JobApi.SendAsync(_host.Client, HttpMethod.Post, "/api/cache/preload", body);
        await HttpAssert.ProblemAsync(response, 400, mention);
    }
}
