using System.Net;
using Tessera.Tests.Sources;

namespace Tessera.Tests.Http;

/// <summary>"No cover" and "not found" are different answers: an audio file that exists but has no art, against a
/// file that is not there.</summary>
public sealed class NoCoverTests
{
    [Fact]
    public async Task AnAudioFileWithoutCover_IsNoCover200_WhileAMissingFileIsNotFound404()
    {
        await using var host = await TesseraHost.StartAsync(root => MediaFixtures.Audio(Path.Combine(root, "lib", "bare", "song.flac")));

        using (var noCover = await host.Client.GetAsync(new Uri("/t/lib/grid/bare/song.flac", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, noCover.StatusCode);
            Assert.Equal("no-cover", HttpAssert.Header(noCover, "X-Tessera-Placeholder"));
            Assert.Contains("embedded: no embedded image", HttpAssert.Header(noCover, "X-Tessera-Detail"), StringComparison.Ordinal);
        }

        using var missing = await host.Client.GetAsync(new Uri("/t/lib/grid/bare/other.flac", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("not-found", HttpAssert.Header(missing, "X-Tessera-Placeholder"));
    }
}
