using System.Net;
using Tessera.Vips;

namespace Tessera.Tests.Http;

/// <summary>Files whose names need percent-encoding, or look like libvips loader options, are served like any other.</summary>
public sealed class FileNameTests(LibraryServer server) : IClassFixture<LibraryServer>
{
    public static TheoryData<string> Names() => new(LibraryServer.FileNames);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task AwkwardFileName_IsServed(string name)
    {
        using var response = await server.Host.Client.GetAsync("/t/lib/grid/names/" + Uri.EscapeDataString(name));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(HttpAssert.Header(response, "X-Tessera-Placeholder"));
        var header = VipsImage.Probe(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((400, 200), (header.Width, header.Height));
    }
}
