using Tessera.Vips.Interop;
namespace Tessera.Vips;

/// <summary>Encoder settings. Quality 1–100 applies to WebP, JPEG and AVIF; PNG is lossless.</summary>
public sealed record SaveOptions(ImageFormat Format, int Quality = 80)
{
    /// <summary>Encoder CPU effort: WebP 0–6, AVIF 0–9. Lower is faster.</summary>
    public int? Effort { get; init; }
}
