using Tessera.Vips.Interop;
namespace Tessera.Vips;

/// <summary>Options for vips_thumbnail: fit inside Width × Height, never upscale, auto-rotate by EXIF.</summary>
public sealed record ThumbnailOptions(int Width, int Height)
{
    /// <summary>Allow upscaling (libvips size=both) instead of size=down.</summary>
    public bool AllowUpscale { get; init; }

    /// <summary>Output ICC profile; "srgb" converts an embedded profile (P3, Adobe RGB, CMYK) to sRGB through an
    /// ICC transform. Null skips colour management: right for untagged and sRGB-tagged sources, and cheaper.</summary>
    public string? ExportProfile { get; init; } = "srgb";
}
