namespace Tessera.Core.Presets;

/// <summary>A named, allow-listed thumbnail size: fit inside Width × Height, never upscale.</summary>
public sealed record Preset(string Name, int Width, int Height, OutputFormat Format = OutputFormat.WebP, int Quality = 80)
{
    /// <summary>Everything that changes the output bytes, in a fixed order: part of the rendition key.
    /// The name is left out on purpose: two names for the same box share renditions. The format is the resolved one.
    /// PNG is lossless and ignores quality, so its quality is written as the default 80 (what PNG keys were always made
    /// with): changing a PNG preset's quality re-renders nothing.</summary>
    public string CanonicalString(OutputFormat format) =>
        $"fit=inside;w={Width};h={Height};fmt={Formats.Extension(format)};q={(format == OutputFormat.Png ? LosslessQuality : Quality)};up=0";

    private const int LosslessQuality = 80;

    public override string ToString() => $"{Name}={Width}x{Height}:{Format.ToString().ToLowerInvariant()}:q{Quality}";
}
