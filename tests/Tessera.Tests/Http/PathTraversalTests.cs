using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Vips;
using Xunit.Abstractions;

namespace Tessera.Tests.Http;

/// <summary>Request paths that try to leave the library, sent as raw request lines. None may ever produce a
/// thumbnail of root/secret.jpg, which sits beside the library folder.</summary>
public sealed class PathTraversalTests(LibraryServer server, ITestOutputHelper output) : IClassFixture<LibraryServer>
{
    private const string Secret = "{SECRET}";
    private const string SecretEncoded = "{SECRET_ENCODED}";
    private const string Origin = "{ORIGIN}";

    public static TheoryData<string> Escapes() => new()
    {
        // Dot segments, plain and encoded; Kestrel may normalise some of them, the library must refuse the rest.
        "/t/lib/grid/../secret.jpg",
        "/t/lib/grid/../../secret.jpg",
        "/t/lib/grid/%2e%2e/secret.jpg",
        "/t/lib/grid/%2E%2E/secret.jpg",
        "/t/lib/grid/.%2e/secret.jpg",
        "/t/lib/grid/%252e%252e/secret.jpg",
        "/t/lib/grid/%252e%252e%252fsecret.jpg",
        "/t/lib/grid/..%2fsecret.jpg",
        "/t/lib/grid/..%2Fsecret.jpg",
        "/t/lib/grid/%2e%2e%2fsecret.jpg",
        "/t/lib/grid/%2e%2e%2f%2e%2e%2fsecret.jpg",
        "/t/lib/grid/..%5csecret.jpg",
        "/t/lib/grid/..%5Csecret.jpg",
        "/t/lib/grid/..\\secret.jpg",
        "/t/lib/grid/sub\\..\\..\\secret.jpg",
        "/t/lib/grid/sub/../../secret.jpg",
        "/t/lib/grid/sub/%2e%2e/%2e%2e/secret.jpg",
        "/t/lib/grid/sub/..%2f..%2fsecret.jpg",
        "/t/lib/grid/sub%2f..%2f..%2fsecret.jpg",
        "/t/lib/grid/./../secret.jpg",
        "/t/lib/grid/%2e/%2e%2e/secret.jpg",

        // Absolute paths.
        "/t/lib/grid//etc/passwd",
        "/t/lib/grid/%2fetc%2fpasswd",
        "/t/lib/grid/%2Fetc%2Fpasswd",
        "/t/lib/grid/" + Secret,
        "/t/lib/grid/" + SecretEncoded,
        Origin + "/t/lib/grid/%2e%2e/secret.jpg",
        Origin + "/t/lib/grid/..%2fsecret.jpg",
        "/t/lib/grid/C:%5cWindows%5cwin.ini",

        // NUL and control characters.
        "/t/lib/grid/a.jpg%00",
        "/t/lib/grid/%00../secret.jpg",
        "/t/lib/grid/..%00/secret.jpg",
        "/t/lib/grid/secret.jpg%00.png",
        "/t/lib/grid/%0a../secret.jpg",

        // Symlinks inside the library that lead out of it.
        "/t/lib/grid/escape/secret.jpg",
        "/t/lib/grid/escape/lib/a.jpg",
        "/t/lib/grid/sub/up/secret.jpg",
        "/t/lib/grid/secret-link.jpg",
        "/t/lib/grid/relative-secret.jpg",
        "/t/lib/grid/sub-alias/up/secret.jpg",
        "/t/lib/grid/sub-alias/../../secret.jpg",

        // Other renditions of the same tricks.
        "/t/lib/detail/..%2fsecret.jpg?format=png",
        "/t/lib/thumb/escape/secret.jpg?format=jpeg",
        "/t/lib/grid/secret-link.jpg?format=auto",
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task Traversal_NeverServesTheSecret(string target)
    {
        var host = server.Host;
        var secret = server.SecretPath;
        target = target
            .Replace(SecretEncoded, Uri.EscapeDataString(secret), StringComparison.Ordinal)
            .Replace(Secret, secret, StringComparison.Ordinal)
            .Replace(Origin, host.BaseAddress.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);

        var response = await RawHttp.GetAsync(host.BaseAddress, target);
        output.WriteLine($"{target} -> {response.Status} {response.Headers.GetValueOrDefault("Content-Type")} " +
            (response.Headers.TryGetValue("X-Tessera-Placeholder", out var why) ? "placeholder " + why : response.Text));

        Assert.True(response.Status is 400 or 404, $"{target} answered {response.Status}: {response.Text}");
        Assert.False(response.Headers.ContainsKey("X-Tessera-Cache"), $"{target} was served as a thumbnail");
        Assert.False(SecretImage.LooksLikeSecret(response.Body), $"{target} returned a thumbnail of the secret");
    }

    [Theory]
    [InlineData("inside-link.jpg")]
    [InlineData("relative-inside.jpg")]
    [InlineData("sub-alias/inner.jpg")]
    public async Task SymlinkToAFileInsideTheLibrary_IsServed(string path)
    {
        var response = await RawHttp.GetAsync(server.Host.BaseAddress, "/t/lib/grid/" + path);

        Assert.Equal(200, response.Status);
        Assert.True(response.Headers.ContainsKey("X-Tessera-Cache"));
        var header = VipsImage.Probe(response.Body);
        Assert.Equal((400, 400), (header.Width, header.Height)); // sub/inner.jpg is 500x500
    }

    [Fact]
    public async Task DanglingSymlink_IsNotFound()
    {
        var response = await RawHttp.GetAsync(server.Host.BaseAddress, "/t/lib/grid/dangling.jpg");

        Assert.Equal(404, response.Status);
        Assert.Equal("not-found", response.Headers.GetValueOrDefault("X-Tessera-Placeholder"));
    }

    [Theory]
    [InlineData("loop-a.jpg")]
    [InlineData("loop-a.jpg/x.jpg")]
    public async Task SymlinkLoop_IsNotFound_NotAServerError(string path)
    {
        var response = await RawHttp.GetAsync(server.Host.BaseAddress, "/t/lib/grid/" + path);

        Assert.True(response.Status is 400 or 404, $"{path} answered {response.Status}");
        Assert.False(response.Headers.ContainsKey("X-Tessera-Cache"));
    }

    [Fact]
    public async Task SecretDetector_RecognisesAThumbnailOfTheSecret_AndNotThePlaceholder()
    {
        // Control for the check above: it must be able to fail.
        var thumbnail = await new Thumbnailer(new PipelineOptions()).FromFileAsync(server.SecretPath, new Preset("grid", 400, 400), OutputFormat.WebP);
        Assert.True(SecretImage.LooksLikeSecret(thumbnail.Bytes));

        var placeholder = await RawHttp.GetAsync(server.Host.BaseAddress, "/t/lib/grid/no-such-file.jpg");
        Assert.Equal(404, placeholder.Status);
        Assert.False(SecretImage.LooksLikeSecret(placeholder.Body));
    }
}

internal static class SecretImage
{
    /// <summary>True when the bytes decode to an image of the secret's size or a mostly green one.</summary>
    public static bool LooksLikeSecret(byte[] body)
    {
        ImageHeader header;
        try
        {
            header = VipsImage.Probe(body);
        }
        catch (VipsException)
        {
            return false; // not an image at all (a problem body, an empty body)
        }

        if ((header.Width, header.Height) == (LibraryServer.SecretWidth, LibraryServer.SecretHeight))
        {
            return true;
        }

        using var small = VipsImage.Thumbnail(body, new ThumbnailOptions(16, 16));
        var pixels = small.ToPixels();
        var bands = small.Bands;
        double r = 0, g = 0, b = 0;
        var n = pixels.Length / bands;
        for (var i = 0; i < pixels.Length; i += bands)
        {
            r += pixels[i];
            g += pixels[i + 1];
            b += pixels[i + 2];
        }

        return g / n > 200 && r / n < 60 && b / n < 60;
    }
}
