using System.Net;
using System.Net.Http.Headers;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http;

/// <summary>Hits from memory through the real server (the body is written into Kestrel's pipe as one span after the
/// headers): the bytes of the miss with the same headers, HEAD with its length and no body, 304 with none, and large
/// renditions (past Kestrel's 4 KB blocks) whole.</summary>
public sealed class MemoryHitTests
{
    [Theory]
    [InlineData(300, 200)]
    [InlineData(2400, 1600)] // a noisy photo-sized rendition: tens of KB
    public async Task MemoryHits_SendTheMissBytes_HeadHasTheLengthAndNoBody_ConditionalIs304(int width, int height)
    {
        await using var host = await TesseraHost.StartAsync(root =>
        {
            Directory.CreateDirectory(Path.Combine(root, "lib"));
            File.WriteAllBytes(Path.Combine(root, "lib", "a.png"), NoiseImages.Png(width, height));
        });
        using var made = await host.Client.GetAsync("/t/lib/grid/a.png");
        var bytes = await made.Content.ReadAsByteArrayAsync();
        Assert.Equal("miss", HttpAssert.Header(made, "X-Tessera-Cache"));

        await HttpAssert.HitsRepeatTheMissAsync(host.Client, "/t/lib/grid/a.png", made, bytes);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/t/lib/grid/a.png");
        conditional.Headers.IfNoneMatch.Add(made.Headers.ETag ?? new EntityTagHeaderValue("\"none\""));
        using var notModified = await host.Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        // The connection is still in step after all of them: a last hit on it is whole.
        using var last = await host.Client.GetAsync("/t/lib/grid/a.png");
        Assert.Equal(bytes, await last.Content.ReadAsByteArrayAsync());
        if (width > 1000)
        {
            Assert.True(bytes.Length > 8192, $"the large case should span several 4 KB blocks, was {bytes.Length} bytes");
        }
    }
}
