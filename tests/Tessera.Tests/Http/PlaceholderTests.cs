using System.Net;
using Tessera.Vips;

namespace Tessera.Tests.Http;

/// <summary>Sources that cannot be thumbnailed answer with a neutral placeholder image and a reason, never a 5xx;
/// requests that are wrong answer with a problem.</summary>
public sealed class PlaceholderTests(LibraryServer server) : IClassFixture<LibraryServer>
{
    private HttpClient Client => server.Host.Client;

    [Theory]
    [InlineData("missing.jpg", HttpStatusCode.NotFound, "not-found")]
    [InlineData("sub/missing.jpg", HttpStatusCode.NotFound, "not-found")]
    [InlineData("no-such-folder/a.jpg", HttpStatusCode.NotFound, "not-found")]
    [InlineData("bad.jpg", HttpStatusCode.OK, "decode-failed")]
    [InlineData("bomb.png", HttpStatusCode.OK, "too-large")]
    public async Task Unthumbnailable_GetsAPlaceholder_WithItsReason(string path, HttpStatusCode status, string reason)
    {
        // Twice: a failure is not cached as if it were a thumbnail.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var response = await Client.GetAsync("/t/lib/grid/" + path);

            Assert.Equal(status, response.StatusCode);
            Assert.Equal(reason, HttpAssert.Header(response, "X-Tessera-Placeholder"));
            Assert.Null(HttpAssert.Header(response, "X-Tessera-Cache"));
            Assert.Null(response.Headers.ETag);
            Assert.Equal(TimeSpan.FromSeconds(300), response.Headers.CacheControl?.MaxAge);
            Assert.False(response.Headers.CacheControl?.MustRevalidate);
            Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
            var header = VipsImage.Probe(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(("webpload_buffer", 400, 400), (header.Loader, header.Width, header.Height));
        }
    }

    [Fact]
    public async Task Placeholder_ComesInTheRequestedFormatAndPresetSize()
    {
        using var response = await Client.GetAsync("/t/lib/thumb/missing.jpg?format=png");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var header = VipsImage.Probe(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(("pngload_buffer", 150, 150), (header.Loader, header.Width, header.Height));
    }

    [Fact]
    public async Task DecodeFailure_IsNotAServerError_InAnyFormat()
    {
        foreach (var format in new[] { "jpeg", "png", "avif", "webp" })
        {
            using var response = await Client.GetAsync($"/t/lib/detail/bad.jpg?format={format}");
            Assert.True((int)response.StatusCode < 500, $"{format}: {(int)response.StatusCode}");
            Assert.Equal("decode-failed", HttpAssert.Header(response, "X-Tessera-Placeholder"));
            var header = VipsImage.Probe(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal((600, 600), (header.Width, header.Height));
        }
    }

    [Fact]
    public async Task UnknownPreset_Is400_NamingTheAllowedPresets()
    {
        using var response = await Client.GetAsync("/t/lib/huge/a.jpg");
        await HttpAssert.ProblemAsync(response, 400, "huge", "thumb", "grid", "grid2x", "detail");
        Assert.Null(HttpAssert.Header(response, "X-Tessera-Placeholder"));
    }

    [Fact]
    public async Task UnknownLibrary_Is404_WithAProblem()
    {
        using var response = await Client.GetAsync("/t/nolib/grid/a.jpg");
        await HttpAssert.ProblemAsync(response, 404, "nolib");
        Assert.Null(HttpAssert.Header(response, "X-Tessera-Placeholder"));
    }

    [Fact]
    public async Task Directory_IsNotAThumbnail()
    {
        using var response = await Client.GetAsync("/t/lib/grid/sub");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not-found", HttpAssert.Header(response, "X-Tessera-Placeholder"));
    }
}

/// <summary>Files in the library that are not regular files.</summary>
public sealed class SpecialFileTests
{
    [Fact]
    public async Task Fifo_InTheLibrary_GetsAnAnswer_NotAHang()
    {
        await using var host = await TesseraHost.StartAsync(_ => { });
        var fifo = Path.Combine(host.LibraryPath, "pipe.jpg");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        try
        {
            using var client = TesseraHost.NewClient(host.BaseAddress, maxConnections: 2);
            client.Timeout = TimeSpan.FromSeconds(20);
            using var response = await client.GetAsync("/t/lib/grid/pipe.jpg");

            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}");
            Assert.NotNull(HttpAssert.Header(response, "X-Tessera-Placeholder"));
        }
        finally
        {
            // Opening the FIFO for writing here would block until a reader came; the server never opens it.
            File.Delete(fifo);
        }
    }
}
