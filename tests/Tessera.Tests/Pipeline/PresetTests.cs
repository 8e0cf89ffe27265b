using Tessera.Core.Presets;

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
        var a = new Preset("a", 400, 400).CanonicalString(OutputFormat.WebP);
        Assert.Equal(a, new Preset("b", 400, 400).CanonicalString(OutputFormat.WebP));
        Assert.NotEqual(a, new Preset("a", 401, 400).CanonicalString(OutputFormat.WebP));
        Assert.NotEqual(a, new Preset("a", 400, 400).CanonicalString(OutputFormat.Jpeg));
        Assert.NotEqual(a, new Preset("a", 400, 400, Quality: 81).CanonicalString(OutputFormat.WebP));
    }

    [Theory]
    [InlineData("image/avif,image/webp,*/*", OutputFormat.Avif)]
    [InlineData("image/webp,*/*;q=0.8", OutputFormat.WebP)]
    [InlineData("image/avif;q=0,image/webp", OutputFormat.WebP)]
    [InlineData("*/*", OutputFormat.Jpeg)]
    [InlineData("image/*", OutputFormat.Jpeg)]
    [InlineData("", OutputFormat.Jpeg)]
    public void Auto_PicksFromAccept(string accept, OutputFormat expected) =>
        Assert.Equal(expected, Formats.Resolve(OutputFormat.Auto, accept));

    [Fact]
    public void ExplicitFormat_IgnoresAccept() =>
        Assert.Equal(OutputFormat.Png, Formats.Resolve(OutputFormat.Png, "image/avif"));
}
