using Tessera.Core.Presets;

namespace Tessera.Core.Engine;

/// <summary>How an image is encoded. Format is a resolved one, never <see cref="OutputFormat.Auto"/>.</summary>
/// <param name="Quality">1–100 for WebP, JPEG and AVIF; PNG is lossless.</param>
/// <param name="Effort">Encoder CPU effort, WebP 0–6 and AVIF 0–9 (lower is faster); null for the encoder's default.</param>
internal readonly record struct EncodeSettings(OutputFormat Format, int Quality, int? Effort);
