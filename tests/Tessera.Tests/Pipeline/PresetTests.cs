using Tessera.Core.Presets;
using Tessera.Vips;

namespace Tessera.Tests.Pipeline;

public sealed class PresetTests
{
    [Fact]
    public void Defaults_AreTheFourNamedSizes()
    {
        Assert.Equal(["thumb:150", "grid:400", "grid2x:800", "detail:600"],
            PresetCatalog.Default.All.Select(p => $"{p.Name}:{p.Width}"));
    }

    [Fact]
    public void Parse_ReadsSizeFormatAndQuality()
    {
        var p = PresetCatalog.Parse("poster=300x450:jpeg:85");
        Assert.Equal(new Preset("poster", 300, 450, OutputFormat.Jpeg, 85), p);
        Assert.Equal(OutputFormat.Auto, PresetCatalog.Parse("a=10x10:auto").Format);
    }

    [Theory]
    [InlineData("nosize")]
    [InlineData("x=10")]
    [InlineData("x=0x10")]
    [InlineData("x=10x10:gif")]
    [InlineData("x=10x10:webp:101")]
    [InlineData("../x=10x10")]
    public void Parse_RejectsBadSpecs(string spec) => Assert.Throws<FormatException>(() => PresetCatalog.Parse(spec));

    [Fact]
    public void CanonicalString_IgnoresTheName_ButNotTheBoxFormatOrQuality()
    {
        var a = new Preset("a", 400, 400).CanonicalString(ImageFormat.WebP);
        Assert.Equal(a, new Preset("b", 400, 400).CanonicalString(ImageFormat.WebP));
        Assert.NotEqual(a, new Preset("a", 401, 400).CanonicalString(ImageFormat.WebP));
        Assert.NotEqual(a, new Preset("a", 400, 400).CanonicalString(ImageFormat.Jpeg));
        Assert.NotEqual(a, new Preset("a", 400, 400, Quality: 81).CanonicalString(ImageFormat.WebP));
    }

    [Theory]
    [InlineData("image/avif,image/webp,*/*", ImageFormat.Avif)]
    [InlineData("image/webp,*/*;q=0.8", ImageFormat.WebP)]
    [InlineData("image/avif;q=0,image/webp", ImageFormat.WebP)]
    [InlineData("*/*", ImageFormat.Jpeg)]
    [InlineData("image/*", ImageFormat.Jpeg)]
    [InlineData("", ImageFormat.Jpeg)]
    public void Auto_PicksFromAccept(string accept, ImageFormat expected) =>
        Assert.Equal(expected, Formats.Resolve(OutputFormat.Auto, accept));

    [Fact]
    public void ExplicitFormat_IgnoresAccept() =>
        Assert.Equal(ImageFormat.Png, Formats.Resolve(OutputFormat.Png, "image/avif"));
}
