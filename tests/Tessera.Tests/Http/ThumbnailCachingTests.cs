using System.Net;
using System.Net.Http.Headers;
using Tessera.Vips;

namespace Tessera.Tests.Http;

/// <summary>GET /t/...: generated once, then served from the cache, revalidated by ETag, and reachable at its
/// immutable content address /c/key.ext.</summary>
public sealed class ThumbnailCachingTests(LibraryServer server) : IClassFixture<LibraryServer>
{
    private HttpClient Client => server.Host.Client;

    [Fact]
    public async Task FirstRequest_IsAMiss_SecondIsAHit_WithTheSameBytes()
    {
        using var first = await Client.GetAsync("/t/lib/grid/a.jpg");
        using var second = await Client.GetAsync("/t/lib/grid/a.jpg");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("image/webp", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("image/webp", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal("miss", HttpAssert.Header(first, "X-Tessera-Cache"));
        Assert.Equal("hit", HttpAssert.Header(second, "X-Tessera-Cache"));

        var bytes = await first.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes, await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(bytes.Length, first.Content.Headers.ContentLength);
        var header = VipsImage.Probe(bytes);
        Assert.Equal("webpload_buffer", header.Loader);
        Assert.Equal((400, 267), (header.Width, header.Height)); // 1200x800 fitted into 400x400
    }

    [Fact]
    public async Task Thumbnail_HasAStrongKeyETag_ShortRevalidatedCaching_AndAnImmutableContentLocation()
    {
        using var response = await Client.GetAsync("/t/lib/grid/c.jpg");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Matches(HttpAssert.StrongKeyETag(), etag.Tag);
        var key = etag.Tag.Trim('"');

        Assert.True(response.Headers.CacheControl?.Public);
        HttpAssert.ShortRevalidatedCaching(response.Headers.CacheControl);

        var location = response.Content.Headers.ContentLocation;
        Assert.NotNull(location);
        Assert.Equal($"/c/{key}.webp", location.OriginalString);

        using var content = await Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal("image/webp", content.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await content.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, content.Headers.ETag);
        HttpAssert.ImmutableCaching(content.Headers.CacheControl);
    }

    [Fact]
    public async Task ContentAddress_OfAnUnknownKey_Is404_AndAMalformedOneIs400()
    {
        using var unknown = await Client.GetAsync("/c/" + new string('0', 64) + ".webp");
        await HttpAssert.ProblemAsync(unknown, 404);

        using var malformed = await Client.GetAsync("/c/not-a-key.webp");
        await HttpAssert.ProblemAsync(malformed, 400);

        using var badExtension = await Client.GetAsync("/c/" + new string('a', 64) + ".exe");
        await HttpAssert.ProblemAsync(badExtension, 400);
    }

    [Fact]
    public async Task IfNoneMatch_WithTheETag_Is304WithAnEmptyBody_OnTheItemUrl()
    {
        using var first = await Client.GetAsync("/t/lib/grid/b.jpg");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;

        using var revalidated = await Send("/t/lib/grid/b.jpg", etag.Tag);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, revalidated.Headers.ETag);
        HttpAssert.ShortRevalidatedCaching(revalidated.Headers.CacheControl);

        // A weak comparison matches too (RFC 9110 §13.1.2), and a list with the tag in it.
        using var weak = await Send("/t/lib/grid/b.jpg", "W/" + etag.Tag);
        Assert.Equal(HttpStatusCode.NotModified, weak.StatusCode);
        using var list = await Send("/t/lib/grid/b.jpg", $"\"{new string('1', 64)}\", {etag.Tag}");
        Assert.Equal(HttpStatusCode.NotModified, list.StatusCode);

        // Control: another tag gets the full body.
        using var stale = await Send("/t/lib/grid/b.jpg", $"\"{new string('0', 64)}\"");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await stale.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task IfNoneMatch_WithTheETag_Is304WithAnEmptyBody_OnTheContentUrl()
    {
        using var first = await Client.GetAsync("/t/lib/thumb/b.jpg");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;
        var location = first.Content.Headers.ContentLocation!;

        using var revalidated = await Send(location.OriginalString, etag.Tag);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, revalidated.Headers.ETag);
        HttpAssert.ImmutableCaching(revalidated.Headers.CacheControl);

        using var stale = await Send(location.OriginalString, $"\"{new string('0', 64)}\"");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await stale.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ChangedSource_GetsANewETag_AndTheOldOneNoLongerRevalidates()
    {
        var path = Path.Combine(server.Host.LibraryPath, "changing.jpg");
        Support.Images.WriteSolidJpeg(path, 800, 800, 255, 0, 0);
        using var before = await Client.GetAsync("/t/lib/grid/changing.jpg");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var oldTag = before.Headers.ETag!.Tag;

        Support.Images.WriteSolidJpeg(path, 600, 800, 0, 0, 255);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1)); // a different mtime even on coarse clocks

        using var after = await Send("/t/lib/grid/changing.jpg", oldTag);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(oldTag, after.Headers.ETag!.Tag);
        Assert.Equal("miss", HttpAssert.Header(after, "X-Tessera-Cache"));
        var header = VipsImage.Probe(await after.Content.ReadAsByteArrayAsync());
        Assert.Equal((300, 400), (header.Width, header.Height));
    }

    [Fact]
    public async Task SourceRewrittenInPlace_WithSizeAndMtimePutBack_IsSeenByTheHitsOneStat()
    {
        // Two different JPEGs of one length (bytes after EOI are ignored by decoders), in a folder two deep.
        var red = Support.Images.SolidJpeg(320, 240, 220, 20, 20);
        var blue = Support.Images.SolidJpeg(240, 320, 20, 20, 220);
        var length = Math.Max(red.Length, blue.Length);
        Array.Resize(ref red, length);
        Array.Resize(ref blue, length);
        var folder = Directory.CreateDirectory(Path.Combine(server.Host.LibraryPath, "deep", "er")).FullName;
        var path = Path.Combine(folder, "cp-p.jpg");
        await File.WriteAllBytesAsync(path, red);
        var mtime = File.GetLastWriteTimeUtc(path);
        using var first = await Client.GetAsync("/t/lib/grid/deep/er/cp-p.jpg");
        using var hit = await Client.GetAsync("/t/lib/grid/deep/er/cp-p.jpg");
        Assert.Equal("hit", HttpAssert.Header(hit, "X-Tessera-Cache"));

        await File.WriteAllBytesAsync(path, blue); // cp -p: in place, the mtime put back; only the ctime tells
        File.SetLastWriteTimeUtc(path, mtime);

        using var after = await Client.GetAsync("/t/lib/grid/deep/er/cp-p.jpg");
        Assert.Equal("miss", HttpAssert.Header(after, "X-Tessera-Cache"));
        Assert.NotEqual(first.Headers.ETag!.Tag, after.Headers.ETag!.Tag);
        var header = VipsImage.Probe(await after.Content.ReadAsByteArrayAsync());
        Assert.Equal((240, 320), (header.Width, header.Height)); // the blue one, not upscaled
    }

    private async Task<HttpResponseMessage> Send(string url, string ifNoneMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await Client.SendAsync(request);
    }
}
