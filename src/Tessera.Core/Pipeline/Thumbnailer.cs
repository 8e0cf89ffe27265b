using System.Diagnostics;
using Tessera.Core.Presets;
using Tessera.Vips;

namespace Tessera.Core.Pipeline;

/// <summary>Turns a source into a small, upright, sRGB, metadata-free thumbnail. Policy lives here; the
/// mechanism is libvips' thumbnail (shrink-on-load, EXIF auto-rotation, first page or frame only).</summary>
public sealed class Thumbnailer(PipelineOptions options)
{
    public PipelineOptions Options { get; } = options;

    /// <summary>Thumbnails a local file. Throws <see cref="ThumbnailException"/> with the reason on failure.
    /// SVG and SVGZ (by extension or content) are sanitised first and rendered from the clean bytes.</summary>
    public Task<EncodedImage> FromFileAsync(string path, Preset preset, ImageFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ThumbnailException(FailureReason.NotFound, "source file not found");
        }

        CheckLength(info.Length);
        return RunAsync(() =>
        {
            if (SourceSniff.IsSvgPath(path))
            {
                var svg = SvgSource.ReadSanitized(path);
                var svgHeader = Probe(() => VipsImage.Probe(svg));
                return VipsImage.Thumbnail(svg, Box(preset, svgHeader));
            }

            if (GzipCheck.IsGzip(path))
            {
                GzipCheck.EnsureComplete(path, Options.MaxInputBytes);
            }

            var header = Probe(() => VipsImage.Probe(path));
            return VipsImage.Thumbnail(path, Box(preset, header));
        }, preset, format, cancellationToken);
    }

    /// <summary>Thumbnails encoded bytes (a fetched original, an extracted frame or cover). SVG and PDF are
    /// refused: their loaders may fetch or run more than pixels, so they come only from library files.</summary>
    public Task<EncodedImage> FromBufferAsync(ReadOnlyMemory<byte> bytes, Preset preset, ImageFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        CheckLength(bytes.Length);
        if (SourceSniff.IsSvgOrPdf(bytes.Span))
        {
            throw NotFromBuffer();
        }

        return RunAsync(() =>
        {
            var header = Probe(() => VipsImage.Probe(bytes));
            if (header.Loader.StartsWith("svgload", StringComparison.Ordinal) || header.Loader.StartsWith("pdfload", StringComparison.Ordinal))
            {
                throw NotFromBuffer(); // the sniff above missed it; never render it unsanitised
            }

            return VipsImage.Thumbnail(bytes, Box(preset, header));
        }, preset, format, cancellationToken);
    }

    private static ThumbnailException NotFromBuffer() =>
        new(FailureReason.DecodeFailed, "SVG/PDF are accepted only from library files");

    /// <summary>Colour-manages through ICC only when it changes something: CMYK, or a profile other than sRGB
    /// (Display P3, Adobe RGB, ProPhoto). Untagged and sRGB-tagged sources are already sRGB.</summary>
    private static ThumbnailOptions Box(Preset preset, ImageHeader header)
    {
        var needsIcc = header.Interpretation == "cmyk" || (header.IccProfile is { } icc && !IccProfiles.IsSrgb(icc));
        return new ThumbnailOptions(preset.Width, preset.Height) { ExportProfile = needsIcc ? "srgb" : null };
    }

    private void CheckLength(long length)
    {
        if (length == 0)
        {
            throw new ThumbnailException(FailureReason.DecodeFailed, "source is empty");
        }

        if (length > Options.MaxInputBytes)
        {
            throw new ThumbnailException(FailureReason.TooLarge, $"source is {length} bytes; the limit is {Options.MaxInputBytes}");
        }
    }

    private ImageHeader Probe(Func<ImageHeader> probe)
    {
        ImageHeader header;
        try
        {
            header = probe();
        }
        catch (VipsException e) when (e.Message.Contains("Security limit exceeded", StringComparison.Ordinal))
        {
            // libheif refuses huge images itself (over 16384 px a side) before Tessera's own check.
            throw new ThumbnailException(FailureReason.TooLarge, e.Message, e);
        }
        catch (VipsException e)
        {
            throw new ThumbnailException(FailureReason.DecodeFailed, $"unreadable header: {e.Message}", e);
        }

        if (header.Width <= 0 || header.PageHeight <= 0)
        {
            throw new ThumbnailException(FailureReason.DecodeFailed, "header declares an empty image");
        }

        if (header.FirstPagePixels > Options.MaxSourcePixels)
        {
            throw new ThumbnailException(FailureReason.TooLarge,
                $"{header.Width}x{header.PageHeight} is {header.FirstPagePixels} pixels; the limit is {Options.MaxSourcePixels}");
        }

        return header;
    }

    private async Task<EncodedImage> RunAsync(Func<VipsImage> load, Preset preset, ImageFormat format, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var job = new EncodeJob(load, format, preset.Quality, Options.Effort(format));
        var work = Task.Run(job.Run, CancellationToken.None);
        try
        {
            var (bytes, width, height) = await work.WaitAsync(Options.DecodeTimeout, Options.Clock, cancellationToken).ConfigureAwait(false);
            return new EncodedImage(bytes, format, width, height, Stopwatch.GetElapsedTime(started));
        }
        catch (TimeoutException)
        {
            // libvips cannot always interrupt a loader mid-decode: ask it to stop and answer now. The worker
            // finishes in the background; ThumbnailService remembers the timeout so the source is not retried.
            job.Kill();
            throw new ThumbnailException(FailureReason.Timeout, $"decoding took longer than {Options.DecodeTimeout.TotalSeconds:0.#} s");
        }
        catch (VipsException e)
        {
            throw new ThumbnailException(FailureReason.DecodeFailed, e.Message, e);
        }
    }

    /// <summary>The native part of one thumbnail, run on a pool thread.</summary>
    private sealed class EncodeJob(Func<VipsImage> load, ImageFormat format, int quality, int? effort)
    {
        private volatile VipsImage? _running;

        public (byte[] Bytes, int Width, int Height) Run()
        {
            using var thumb = load();
            using var converted = ToSrgb8(thumb);
            var srgb = converted ?? thumb;
            using var flat = format is ImageFormat.Jpeg && srgb.HasAlpha ? srgb.Flatten(255, 255, 255) : null;
            using var clean = (flat ?? srgb).WithoutMetadata();
            _running = clean;
            var encoded = clean.Save(new SaveOptions(format, quality) { Effort = effort });
            _running = null;
            return (MetadataStripper.Strip(encoded, format), clean.Width, clean.Height);
        }

        public void Kill() => _running?.Kill();

        /// <summary>8-bit sRGB, or null when the image already is. An ICC transform (see Box) already gave sRGB;
        /// this covers the rest: grey, 16-bit, untagged.</summary>
        private static VipsImage? ToSrgb8(VipsImage image)
        {
            if (image.Interpretation == "srgb")
            {
                return image.BandFormat == "uchar" ? null : image.Cast("uchar");
            }

            var converted = image.Colourspace("srgb");
            if (converted.BandFormat == "uchar")
            {
                return converted;
            }

            using (converted)
            {
                return converted.Cast("uchar");
            }
        }
    }
}
