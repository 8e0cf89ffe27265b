using Tessera.Vips.Interop;
namespace Tessera.Vips;

public sealed partial class VipsImage
{
    /// <summary>Encodes the image. Asks the encoder to strip metadata; callers that must guarantee no metadata
    /// should also use <see cref="WithoutMetadata"/> and check the bytes, since some encoders write fresh EXIF.</summary>
    public byte[] Save(SaveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (name, configure) = options.Format switch
        {
            ImageFormat.WebP => ("webpsave_buffer", (Action<VipsOperation>)(op =>
            {
                op.Set("Q", options.Quality);
                if (options.Effort is { } e)
                {
                    op.Set("effort", e);
                }
            })),
            ImageFormat.Jpeg => ("jpegsave_buffer", op => op.Set("Q", options.Quality).Set("optimize_coding", true)),
            ImageFormat.Png => ("pngsave_buffer", op => op.Set("compression", 6)),
            ImageFormat.Avif => ("heifsave_buffer", op =>
            {
                op.Set("Q", options.Quality).Set("compression", "av1");
                op.Set("effort", options.Effort ?? 2);
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Format, "unknown format"),
        };

        using var op = VipsOperation.Create(name);
        op.Set("in", this).Set("strip", true);
        configure(op);
        op.Build();
        return op.GetBlob("buffer");
    }
}
