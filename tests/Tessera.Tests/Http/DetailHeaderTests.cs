using Tessera.Server.Endpoints;

namespace Tessera.Tests.Http;

public sealed class DetailHeaderTests
{
    [Theory]
    [InlineData("frame: ffmpeg exited with 1: file:/srv/media/films/x.mp4: Invalid data found", "frame: ffmpeg exited with 1: x.mp4: Invalid data found")]
    [InlineData("sidecar: /home/me/lib/ab/cover.jpg unreadable", "sidecar: cover.jpg unreadable")]
    [InlineData("remote: covers.example.com: 404 for http://covers.example.com/a/b.jpg", "remote: covers.example.com: 404 for http://covers.example.com/a/b.jpg")]
    [InlineData("embedded: no embedded image; sidecar: no sidecar image", "embedded: no embedded image; sidecar: no sidecar image")]
    [InlineData("caf\u00e9\r\nX-Evil: 1", "caf???X-Evil: 1")]
    public void TheDetailHeader_CarriesNoServerPaths_AndOnlyPrintableAscii(string detail, string expected) =>
        Assert.Equal(expected, ItemResponder.HeaderSafe(detail));
}
