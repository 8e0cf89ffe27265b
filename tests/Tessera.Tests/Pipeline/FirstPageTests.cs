using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Pipeline;

/// <summary>Multi-page documents thumbnail their first page, at the target size, not all pages stacked.</summary>
public sealed class FirstPageTests
{
    private static readonly Thumbnailer Pipeline = new(new PipelineOptions());
    private static readonly Preset Grid = new("grid", 400, 400);

    [Theory]
    [InlineData("formats/debian-refcard__refcard-en-a4.pdf")]
    [InlineData("formats/sharp__G31D_MULTI.TIF")]
    public async Task MultiPageDocument_BecomesAThumbnailOfPageOneOnly(string file)
    {
        var source = VipsImage.Probe(Corpus.Path(file));
        Assert.True(source.Pages > 1, $"{file} has {source.Pages} page: the test needs more");
        var onePage = (double)source.Width / source.PageHeight;
        var stacked = (double)source.Width / (source.PageHeight * source.Pages);

        var result = await Pipeline.FromFileAsync(Corpus.Path(file), Grid, OutputFormat.WebP);

        Assert.True(result.Width == 400 || result.Height == 400, $"{result.Width}x{result.Height} does not fill the 400 box");
        Assert.InRange(result.Width, 1, 400);
        Assert.InRange(result.Height, 1, 400);
        var ratio = (double)result.Width / result.Height;
        Assert.True(Math.Abs(ratio - onePage) < 0.02, $"{result.Width}x{result.Height} is not the shape of one {source.Width}x{source.PageHeight} page");
        Assert.True(Math.Abs(ratio - stacked) > 0.2, "one page and the stacked pages have the same shape: the check proves nothing");
        Assert.Equal(1, VipsImage.Probe(result.Bytes).Pages);
    }

    [Fact]
    public async Task Pdf_IsAnA4Page_RenderedAtTheTargetSize()
    {
        var result = await Pipeline.FromFileAsync(Corpus.Path("formats/debian-refcard__refcard-en-a4.pdf"), Grid, OutputFormat.WebP);
        // A4 landscape: 297 x 210 mm.
        Assert.Equal(400, result.Width);
        Assert.InRange((double)result.Width / result.Height, 297.0 / 210 - 0.02, 297.0 / 210 + 0.02);
    }
}
