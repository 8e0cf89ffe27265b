using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tessera.Core.Engine;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Pipeline;

/// <summary>SVG through the thumbnailer: sanitised before libvips sees it, from files only, never a fetch.</summary>
public sealed class SvgThumbnailTests
{
    private static readonly Thumbnailer Pipeline = new(new PipelineOptions { DecodeTimeout = TimeSpan.FromSeconds(20) });
    private static readonly Preset Grid = new("grid", 400, 400);
    private static readonly TimeSpan DidNotHang = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Hostile() => new()
    {
        "malformed/bluetape4k__external_resource.svg",
        "malformed/bluetape4k__security_xxe.svg",
        "malformed/patt__SSRF_url.svg",
        "malformed/patt__ssrf_svg_use.svg",
        "malformed/svgsan__externalTest.svg",
        "malformed/weserv__giant.svg",
        "malformed/imgproxy__test1.svg",
        "malformed/sharp__struct-image-04-t.svg",
        "malformed/libvips__truncated.svgz",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task HostileSvg_GivesAThumbnailOrAClearReason_WithoutHanging(string file)
    {
        try
        {
            var result = await Pipeline.FromFileAsync(Corpus.Path(file), Grid, OutputFormat.WebP).WaitAsync(DidNotHang);
            Assert.InRange(result.Width, 1, 400);
            Assert.InRange(result.Height, 1, 400);
            Assert.Equal("webpload_buffer", VipsImage.Probe(result.Bytes).Loader);
        }
        catch (ThumbnailException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            Assert.True(file.Contains("giant", StringComparison.Ordinal) || file.EndsWith(".svgz", StringComparison.Ordinal),
                $"{file} should render once sanitised, but failed: {e.Reason} {e.Message}");
        }
    }

    [Fact]
    public async Task SvgPointingAtLoopbackAndLocalFiles_Renders_WithoutASingleConnection()
    {
        using var dir = new TempDir();
        using var listener = new CountingListener();
        var at = $"http://127.0.0.1:{listener.Port}";
        var drawing = Path.Combine(dir.Path, "drawing.svg");
        File.WriteAllText(drawing, $$"""
            <?xml version="1.0"?>
            <?xml-stylesheet type="text/css" href="{{at}}/pi.css"?>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xi="http://www.w3.org/2001/XInclude" width="200" height="100">
              <style>@import url({{at}}/import.css); circle { fill: url({{at}}/paint.svg#p); }</style>
              <rect width="200" height="100" fill="#0a0"/>
              <image width="50" height="50" href="{{at}}/x.png"/>
              <image width="50" height="50" xlink:href="file:///etc/passwd"/>
              <use xlink:href="{{at}}/use.svg#u"/>
              <circle r="10" cx="20" cy="20" style="stroke:url('{{at}}/stroke.svg#s')" filter="url({{at}}/f.svg#f)"/>
              <xi:include href="{{at}}/include.xml" parse="text"/>
              <feImage href="{{at}}/fe.png"/>
            </svg>
            """);
        var dtd = Path.Combine(dir.Path, "dtd.svg");
        File.WriteAllText(dtd, $"""
            <?xml version="1.0"?>
            <!DOCTYPE svg SYSTEM "{at}/svg.dtd" [ <!ENTITY remote SYSTEM "{at}/entity.txt"> <!ENTITY local SYSTEM "file:///etc/passwd"> ]>
            <svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="#00a"/><text>&remote;&local;</text></svg>
            """);

        var result = await Pipeline.FromFileAsync(drawing, Grid, OutputFormat.WebP).WaitAsync(DidNotHang);
        Assert.Equal((200, 100), (result.Width, result.Height));
        var second = await Pipeline.FromFileAsync(dtd, Grid, OutputFormat.WebP).WaitAsync(DidNotHang);
        Assert.Equal((200, 100), (second.Width, second.Height));

        Assert.Equal(0, listener.Accepted);

        // Control: the listener does count, so a fetch would have shown.
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, listener.Port);
        }

        Assert.True(SpinWait.SpinUntil(() => listener.Accepted == 1, DidNotHang));
    }

    [Fact]
    public async Task BillionLaughs_IsRefusedQuickly()
    {
        using var dir = new TempDir();
        var bomb = Path.Combine(dir.Path, "lol.svg");
        File.WriteAllBytes(bomb, SvgSanitizerTests.BillionLaughs());
        var e = await Assert.ThrowsAsync<ThumbnailException>(() => Pipeline.FromFileAsync(bomb, Grid, OutputFormat.WebP).WaitAsync(DidNotHang));
        Assert.Equal(FailureReason.TooLarge, e.Reason);
    }

    [Theory]
    [InlineData("formats/libvips__logo.svg", 400, 300)]
    [InlineData("formats/libvips__logo.svgz", 400, 300)]
    [InlineData("formats/thumbor__Commons-logo.svg", 298, 400)]
    public async Task BenignSvg_AndSvgz_Render(string file, int width, int height)
    {
        var result = await Pipeline.FromFileAsync(Corpus.Path(file), Grid, OutputFormat.Png);
        Assert.Equal((width, height), (result.Width, result.Height));
    }

    [Theory]
    [InlineData("plain.png", false, "")]
    [InlineData("commented.dat", false, "<!-- drawn by hand -->\n")]
    [InlineData("packed.bin", true, "")]
    public async Task SvgContent_UnderAnotherName_IsStillSanitisedAndRendered(string name, bool gzip, string prefix)
    {
        // The SVG file loader is blocked: a render proves the sanitised buffer path was taken.
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, name);
        var svg = Encoding.UTF8.GetBytes(prefix + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"80\" height=\"40\"><rect width=\"80\" height=\"40\" fill=\"red\"/></svg>");
        await File.WriteAllBytesAsync(path, gzip ? Gzip(svg) : svg);

        var result = await Pipeline.FromFileAsync(path, Grid, OutputFormat.Png);

        Assert.Equal((80, 40), (result.Width, result.Height));
    }

    [Fact]
    public void TheSvgFileLoader_IsBlocked_SoUnsanitisedSvgCannotReachLibrsvg()
    {
        var box = new ThumbnailBox(10, 10, IccToSrgb: false);
        var png = new EncodeSettings(OutputFormat.Png, 80, null);
        var e = Assert.Throws<EngineException>(() => VipsEngine.Thumbnail(Corpus.Path("formats/sharp__circle.svg"), box, png, default));
        Assert.Contains("blocked", e.Message, StringComparison.Ordinal);
        var fromBuffer = VipsEngine.Thumbnail(File.ReadAllBytes(Corpus.Path("formats/sharp__circle.svg")), box, png, default);
        Assert.Equal(8, fromBuffer.Width); // its 8x8 viewBox, never upscaled
    }

    [Theory]
    [InlineData("formats/sharp__circle.svg")]
    [InlineData("formats/libvips__logo.svgz")]
    [InlineData("formats/debian-refcard__refcard-en-a4.pdf")]
    public async Task SvgAndPdfBytes_AreRefusedFromABuffer(string file)
    {
        var bytes = await File.ReadAllBytesAsync(Corpus.Path(file));
        var e = await Assert.ThrowsAsync<ThumbnailException>(() => Pipeline.FromBufferAsync(bytes, Grid, OutputFormat.WebP));
        Assert.Equal(FailureReason.DecodeFailed, e.Reason);
        Assert.Equal("SVG/PDF are accepted only from library files", e.Message);
    }

    [Fact]
    public async Task SvgHiddenPastLeadingText_IsRefusedFromABuffer_Too()
    {
        // libvips' own sniff finds "<svg" anywhere in the first kilobyte of ASCII.
        var bytes = Encoding.ASCII.GetBytes("this is not xml at all, honest <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"/>");
        var e = await Assert.ThrowsAsync<ThumbnailException>(() => Pipeline.FromBufferAsync(bytes, Grid, OutputFormat.WebP));
        Assert.Equal("SVG/PDF are accepted only from library files", e.Message);

        var jpeg = await Pipeline.FromBufferAsync(Images.SolidJpeg(40, 20, 1, 2, 3), Grid, OutputFormat.WebP); // control
        Assert.Equal((40, 20), (jpeg.Width, jpeg.Height));
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(bytes);
        }

        return ms.ToArray();
    }

    /// <summary>A loopback TCP server that only counts the connections it accepts.</summary>
    private sealed class CountingListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _accepted;

        public CountingListener()
        {
            _listener.Start();
            _ = AcceptLoop();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Accepted => Volatile.Read(ref _accepted);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task AcceptLoop()
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _accepted);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }
    }
}
