using System.Net;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Http;

/// <summary>?format=auto picks AVIF, WebP or JPEG from Accept and says so with Vary; explicit formats do not vary.</summary>
public sealed class FormatNegotiationTests(LibraryServer server) : IClassFixture<LibraryServer>
{
    private HttpClient Client => server.Host.Client;

    public static TheoryData<string, string, string, string> Negotiations()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var photo in new[] { "photos/landscape.jpg", "photos/nokia.jpg" })
        {
            data.Add(photo, "image/avif,image/webp,*/*", "image/avif", "heifload_buffer");
            data.Add(photo, "image/webp,*/*", "image/webp", "webpload_buffer");
            data.Add(photo, "*/*", "image/jpeg", "jpegload_buffer");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Negotiations))]
    public async Task Auto_FollowsAccept_VariesOnIt_AndIsMetadataFree(string photo, string accept, string contentType, string loader)
    {
        using var response = await Get($"/t/lib/grid/{photo}?format=auto", accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", response.Headers.Vary);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var header = VipsImage.Probe(bytes);
        Assert.Equal(loader, header.Loader);
        Assert.True(header.Width == 400 || header.Height == 400, $"{header.Width}x{header.Height} does not fill the grid box");
        Assert.Empty(Images.MetadataMarkers(bytes));
        var extension = contentType == "image/jpeg" ? "jpg" : contentType["image/".Length..];
        Assert.EndsWith("." + extension, response.Content.Headers.ContentLocation!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_GivesEachFormatItsOwnETag_And304sKeepVary()
    {
        using var avif = await Get("/t/lib/grid/c.jpg?format=auto", "image/avif,image/webp,*/*");
        using var webp = await Get("/t/lib/grid/c.jpg?format=auto", "image/webp,*/*");
        using var jpeg = await Get("/t/lib/grid/c.jpg?format=auto", "*/*");
        var tags = new[] { avif, webp, jpeg }.Select(r => r.Headers.ETag!.Tag).ToList();
        Assert.Equal(3, tags.Distinct().Count());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/t/lib/grid/c.jpg?format=auto");
        request.Headers.TryAddWithoutValidation("Accept", "image/webp,*/*");
        request.Headers.TryAddWithoutValidation("If-None-Match", tags[1]);
        using var revalidated = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Contains("Accept", revalidated.Headers.Vary);

        // The WebP tag does not match the AVIF representation of the same URL.
        using var other = new HttpRequestMessage(HttpMethod.Get, "/t/lib/grid/c.jpg?format=auto");
        other.Headers.TryAddWithoutValidation("Accept", "image/avif,image/webp,*/*");
        other.Headers.TryAddWithoutValidation("If-None-Match", tags[1]);
        using var full = await Client.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal("image/avif", full.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Auto_WithWebPRefusedByQZero_FallsBackToJpeg()
    {
        using var response = await Get("/t/lib/grid/c.jpg?format=auto", "image/webp;q=0,*/*");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("jpegload_buffer", VipsImage.Probe(await response.Content.ReadAsByteArrayAsync()).Loader);
    }

    [Fact]
    public async Task ExplicitPng_IsPng_WithoutVary()
    {
        using var response = await Get("/t/lib/grid/photos/landscape.jpg?format=png", "image/avif,image/webp,*/*");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(response.Headers.Vary);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("pngload_buffer", VipsImage.Probe(bytes).Loader);
        Assert.Empty(Images.MetadataMarkers(bytes));
        Assert.EndsWith(".png", response.Content.Headers.ContentLocation!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PresetDefault_IgnoresAccept_AndDoesNotVary()
    {
        using var response = await Get("/t/lib/grid/c.jpg", "image/avif,*/*");
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(response.Headers.Vary);
    }

    [Fact]
    public async Task UnknownFormat_Is400_WithAProblemNamingIt()
    {
        using var response = await Get("/t/lib/grid/c.jpg?format=bogus", "*/*");
        await HttpAssert.ProblemAsync(response, 400, "bogus");
        Assert.Null(HttpAssert.Header(response, "X-Tessera-Cache"));
    }

    private async Task<HttpResponseMessage> Get(string url, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await Client.SendAsync(request);
    }
}
