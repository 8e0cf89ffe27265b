using System.Text;
using Tessera.Core.Pipeline;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Pipeline;

/// <summary>The sanitiser on its own: hostile SVGs lose every outside reference, benign ones keep their pixels.</summary>
public sealed class SvgSanitizerTests
{
    public static TheoryData<string> Hostile() => new()
    {
        "malformed/bluetape4k__external_resource.svg",
        "malformed/bluetape4k__security_xxe.svg",
        "malformed/patt__SSRF_url.svg",
        "malformed/patt__ssrf_svg_use.svg",
        "malformed/svgsan__externalTest.svg",
        "malformed/imgproxy__test1.svg",
        "malformed/sharp__struct-image-04-t.svg",
    };

    public static TheoryData<string> Benign() => new()
    {
        "formats/libvips__logo.svg",
        "formats/thumbor__Commons-logo.svg",
        "formats/sharp__circle.svg",
        "formats/libvips__logo.svgz",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void HostileSvg_LosesEveryExternalReference(string file)
    {
        var original = File.ReadAllBytes(Corpus.Path(file));
        Assert.NotEmpty(SvgScan.ExternalReferences(original)); // the scan sees what the file attacks with

        var clean = SvgSanitizer.Sanitize(original);

        Assert.Empty(SvgScan.ExternalReferences(clean));
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><svg", Encoding.UTF8.GetString(clean), StringComparison.Ordinal);
    }

    [Fact]
    public void InlineRasterImages_AndFragments_Survive_ButInlineSvgAndScriptsDoNot()
    {
        var clean = Encoding.UTF8.GetString(SvgSanitizer.Sanitize(File.ReadAllBytes(Corpus.Path("malformed/imgproxy__test1.svg"))));
        Assert.Contains("href=\"data:image/gif;base64,R0lGODlh", clean, StringComparison.Ordinal);
        Assert.DoesNotContain("data:application/xml", clean, StringComparison.Ordinal);
        Assert.DoesNotContain("alert", clean, StringComparison.Ordinal);
        Assert.Contains("style=\"fill:rgb(0,0,0);stroke-width:5;stroke:rgb(255,255,255)\"", clean, StringComparison.Ordinal);

        var urls = Encoding.UTF8.GetString(SvgSanitizer.Sanitize(File.ReadAllBytes(Corpus.Path("malformed/svgsan__externalTest.svg"))));
        Assert.Contains("fill=\"url('#benis.svg')\"", urls, StringComparison.Ordinal);
        Assert.Equal(1, urls.Split("fill=").Length - 1);

        var jpegAndPng = Encoding.UTF8.GetString(SvgSanitizer.Sanitize(File.ReadAllBytes(Corpus.Path("malformed/sharp__struct-image-04-t.svg"))));
        Assert.Contains("data:image/jpeg;base64,/9j/", jpegAndPng, StringComparison.Ordinal);
        Assert.Contains("data:image/png;base64,iVBOR", jpegAndPng, StringComparison.Ordinal);
    }

    [Fact]
    public void InlineImages_WhoseBytesAreNotTheDeclaredFormat_AreDropped()
    {
        var svgInPng = "data:image/png;base64," + Convert.ToBase64String("<svg xmlns='http://www.w3.org/2000/svg'/>"u8);
        Assert.False(SvgSanitizer.IsSafeReference(svgInPng));
        Assert.False(SvgSanitizer.IsSafeReference("data:image/svg+xml;base64," + Convert.ToBase64String("<svg/>"u8)));
        Assert.True(SvgSanitizer.IsSafeReference("data:image/png;base64," + Convert.ToBase64String(Png())));
        Assert.True(SvgSanitizer.IsSafeReference("#logo"));
        Assert.False(SvgSanitizer.IsSafeReference("javascript:alert(1)"));
    }

    [Fact]
    public void Css_LosesImportsAndOutsideUrls_ButKeepsFragmentsAndTheRest()
    {
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
            <style>@import url(http://a.example/x.css); @import "b.css"; rect { fill: url(http://a.example/p.svg#p); stroke: url(#grad); }</style>
            <rect width="10" height="10" style="fill:url( 'https://a.example/p' );stroke:red" filter="url(#f)" mask="url(x.svg#m)"/>
            <circle r="1" style="fill:\75rl(http://a.example/)"/>
            </svg>
            """;
        var clean = Encoding.UTF8.GetString(SvgSanitizer.Sanitize(Encoding.UTF8.GetBytes(svg)));
        Assert.Empty(SvgScan.ExternalReferences(Encoding.UTF8.GetBytes(clean)));
        Assert.Contains("stroke: url(#grad)", clean, StringComparison.Ordinal);
        Assert.Contains("fill: none", clean, StringComparison.Ordinal);
        Assert.Contains("style=\"fill:none;stroke:red\"", clean, StringComparison.Ordinal);
        Assert.Contains("filter=\"url(#f)\"", clean, StringComparison.Ordinal);
        Assert.DoesNotContain("mask=", clean, StringComparison.Ordinal);
        Assert.Contains("<circle r=\"1\" />", clean, StringComparison.Ordinal); // an escaped url() takes the whole style
    }

    [Fact]
    public void XxeEntity_PointingAtALocalFile_DoesNotLeakIt()
    {
        using var dir = new TempDir();
        var secret = Path.Combine(dir.Path, "secret.txt");
        File.WriteAllText(secret, "TOP-SECRET-7f3a");
        var svg = $"""
            <?xml version="1.0"?>
            <!DOCTYPE svg [ <!ENTITY xxe SYSTEM "file://{secret}"> <!ENTITY inner "INTERNAL-OK"> ]>
            <svg xmlns="http://www.w3.org/2000/svg" width="100" height="20"><text y="15">&xxe;</text><desc>&inner;</desc></svg>
            """;

        var clean = Encoding.UTF8.GetString(SvgSanitizer.Sanitize(Encoding.UTF8.GetBytes(svg)));

        Assert.DoesNotContain("TOP-SECRET", clean, StringComparison.Ordinal);
        Assert.DoesNotContain("DOCTYPE", clean, StringComparison.Ordinal);
        Assert.Contains("INTERNAL-OK", clean, StringComparison.Ordinal); // internal entities (Illustrator's) still expand
    }

    [Fact]
    public void IllustratorStyleEntities_AndNamespaces_StillRender()
    {
        // Illustrator declares namespace URIs as internal entities; Prohibit would refuse every such file.
        var svg = """
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
              <!ENTITY ns_svg "http://www.w3.org/2000/svg">
              <!ENTITY ns_xlink "http://www.w3.org/1999/xlink">
              <!ENTITY st0 "fill:#1E90FF;">
            ]>
            <svg:svg xmlns:svg="&ns_svg;" xmlns:xlink="&ns_xlink;" width="60" height="30">
              <svg:defs><svg:rect id="r" width="60" height="30" style="&st0;"/></svg:defs>
              <svg:use xlink:href="#r"/>
              <x:extra xmlns:x="urn:tool" x:note="kept"/>
            </svg:svg>
            """;

        var clean = SvgSanitizer.Sanitize(Encoding.UTF8.GetBytes(svg));

        Assert.Empty(SvgScan.ExternalReferences(clean));
        using var img = VipsImage.Thumbnail(clean, new ThumbnailOptions(60, 60) { ExportProfile = null });
        Assert.Equal((60, 30), (img.Width, img.Height));
        var px = img.ToPixels();
        Assert.Equal((0x1E, 0x90, 0xFF), (px[0], px[1], px[2])); // the entity-defined style reached the rect via #r
    }

    [Fact]
    public void BillionLaughs_IsRefusedQuickly_AsTooLarge()
    {
        var e = Assert.Throws<ThumbnailException>(() => SvgSanitizer.Sanitize(BillionLaughs()));
        Assert.Equal(FailureReason.TooLarge, e.Reason);
        Assert.Contains("entity", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedAndNonSvgDocuments_AreRefusedWithAReason()
    {
        var big = Assert.Throws<ThumbnailException>(() => SvgSanitizer.Sanitize(new byte[1001], maxBytes: 1000));
        Assert.Equal(FailureReason.TooLarge, big.Reason);
        var html = Assert.Throws<ThumbnailException>(() => SvgSanitizer.Sanitize("<html><body/></html>"u8.ToArray()));
        Assert.Equal(FailureReason.DecodeFailed, html.Reason);
        Assert.Contains("not an SVG", html.Message, StringComparison.Ordinal);
        var broken = Assert.Throws<ThumbnailException>(() => SvgSanitizer.Sanitize("<svg><g></svg>"u8.ToArray()));
        Assert.Equal(FailureReason.DecodeFailed, broken.Reason);
        Assert.Contains("malformed SVG", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedSvgz_IsRefused_AsDecodeFailed()
    {
        var e = Assert.Throws<ThumbnailException>(() => SvgSource.ReadSanitized(Corpus.Path("malformed/libvips__truncated.svgz")));
        Assert.Equal(FailureReason.DecodeFailed, e.Reason);
        Assert.Contains("gzip", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Benign))]
    public void BenignSvg_RendersTheSamePixels_AfterSanitising(string file)
    {
        var path = Corpus.Path(file);
        var original = file.EndsWith(".svgz", StringComparison.Ordinal) ? Gunzip(path) : File.ReadAllBytes(path);
        var clean = SvgSource.ReadSanitized(path);

        // The buffer loader renders the untouched original here; these files are known benign.
        var before = Render(original);
        var after = Render(clean);

        Assert.Equal(before.Length, after.Length);
        var diff = MeanAbsDiff(before, after);
        Assert.True(diff < 0.5, $"{file} changed by {diff:0.00} per channel after sanitising");
        Assert.True(MeanAbsDiff(before, new byte[before.Length]) > 1, "the rendering is blank, so the comparison proves nothing");
    }

    internal static byte[] BillionLaughs()
    {
        var sb = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n<!ENTITY lol \"lol\">\n");
        for (var i = 1; i <= 9; i++)
        {
            sb.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat(i == 1 ? "&lol;" : $"&lol{i - 1};", 10))}\">\n");
        }

        sb.Append("]>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><text>&lol9;</text></svg>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static byte[] Png()
    {
        using var img = VipsImage.Solid(4, 4, 1, 2, 3);
        return img.Save(new SaveOptions(ImageFormat.Png, 90));
    }

    private static byte[] Render(byte[] svg)
    {
        using var img = VipsImage.Thumbnail(svg, new ThumbnailOptions(200, 200) { ExportProfile = null });
        using var flat = img.HasAlpha ? img.Flatten(255, 255, 255) : img.WithoutMetadata();
        return flat.ToPixels();
    }

    private static byte[] Gunzip(string path)
    {
        using var gz = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }

    private static double MeanAbsDiff(byte[] a, byte[] b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return (double)sum / a.Length;
    }
}
