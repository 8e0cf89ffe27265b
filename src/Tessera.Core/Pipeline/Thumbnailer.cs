using System.Diagnostics;
using Tessera.Core.Engine;
using Tessera.Core.Presets;

namespace Tessera.Core.Pipeline;

/// <summary>Turns a source into a small, upright, sRGB, metadata-free thumbnail. Policy lives here; the
/// mechanism is the engine's thumbnail (libvips: shrink-on-load, EXIF auto-rotation, first page or frame only).</summary>
public sealed class Thumbnailer(PipelineOptions options)
{
    public PipelineOptions Options { get; } = options;

    /// <summary>Thumbnails a local file. Throws <see cref="ThumbnailException"/> with the reason on failure.
    /// SVG and SVGZ (by extension or content) are sanitised first and rendered from the clean bytes.</summary>
    public Task<EncodedImage> FromFileAsync(string path, Preset preset, OutputFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ThumbnailException(FailureReason.NotFound, "source file not found");
        }

        CheckLength(info.Length);
        return RunAsync((encode, kill) =>
        {
            if (SourceSniff.IsSvgPath(path))
            {
                var svg = SvgSource.ReadSanitized(path);
                var svgHeader = Probe(() => VipsEngine.Probe(svg));
                return VipsEngine.Thumbnail(svg, Box(preset, svgHeader), encode, kill);
            }

            if (GzipCheck.IsGzip(path))
            {
                GzipCheck.EnsureComplete(path, Options.MaxInputBytes);
            }

            var header = Probe(() => VipsEngine.Probe(path));
            return VipsEngine.Thumbnail(path, Box(preset, header), encode, kill);
        }, preset, format, cancellationToken);
    }

    /// <summary>Thumbnails encoded bytes (a fetched original, an extracted frame or cover). SVG and PDF are
    /// refused: their loaders may fetch or run more than pixels, so they come only from library files.</summary>
    public Task<EncodedImage> FromBufferAsync(ReadOnlyMemory<byte> bytes, Preset preset, OutputFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        CheckLength(bytes.Length);
        if (SourceSniff.IsSvgOrPdf(bytes.Span))
        {
            throw NotFromBuffer();
        }

        return RunAsync((encode, kill) =>
        {
            var header = Probe(() => VipsEngine.Probe(bytes));
            if (header.Loader.StartsWith("svgload", StringComparison.Ordinal) || header.Loader.StartsWith("pdfload", StringComparison.Ordinal))
            {
                throw NotFromBuffer(); // the sniff above missed it; never render it unsanitised
            }

            return VipsEngine.Thumbnail(bytes, Box(preset, header), encode, kill);
        }, preset, format, cancellationToken);
    }

    private static ThumbnailException NotFromBuffer() =>
        new(FailureReason.DecodeFailed, "SVG/PDF are accepted only from library files");

    /// <summary>Colour-manages through ICC only when it changes something: CMYK, or a profile other than sRGB
    /// (Display P3, Adobe RGB, ProPhoto). Untagged and sRGB-tagged sources are already sRGB.</summary>
    private static ThumbnailBox Box(Preset preset, SourceHeader header)
    {
        var needsIcc = header.Interpretation == "cmyk" || (header.IccProfile is { } icc && !IccProfiles.IsSrgb(icc));
        return new ThumbnailBox(preset.Width, preset.Height, needsIcc);
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

    private SourceHeader Probe(Func<SourceHeader> probe)
    {
        SourceHeader header;
        try
        {
            header = probe();
        }
        catch (EngineException e) when (e.Message.Contains("Security limit exceeded", StringComparison.Ordinal))
        {
            // libheif refuses huge images itself (over 16384 px a side) before Tessera's own check.
            throw new ThumbnailException(FailureReason.TooLarge, e.Message, e);
        }
        catch (EngineException e)
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

    /// <summary>Runs the native part on a pool thread under the decode time cap. <paramref name="render"/> gets
    /// the encoder settings and a token that is cancelled only on timeout, to kill the encode.</summary>
    private async Task<EncodedImage> RunAsync(Func<EncodeSettings, CancellationToken, (byte[] Bytes, int Width, int Height)> render,
        Preset preset, OutputFormat format, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var encode = new EncodeSettings(format, preset.Quality, Options.Effort(format));
        using var timedOut = new CancellationTokenSource();
        var kill = timedOut.Token; // taken now: the work may outlive the source, and a disposed source's token stays usable
        var work = Task.Run(() =>
        {
            var (bytes, width, height) = render(encode, kill);
            return (MetadataStripper.Strip(bytes, format), width, height);
        }, CancellationToken.None);
        try
        {
            var (bytes, width, height) = await work.WaitAsync(Options.DecodeTimeout, Options.Clock, cancellationToken).ConfigureAwait(false);
            return new EncodedImage(bytes, format, width, height, Stopwatch.GetElapsedTime(started));
        }
        catch (TimeoutException)
        {
            // libvips cannot always interrupt a loader mid-decode: ask it to stop and answer now. The worker
            // finishes in the background; ThumbnailService remembers the timeout so the source is not retried.
            timedOut.Cancel();
            throw new ThumbnailException(FailureReason.Timeout, $"decoding took longer than {Options.DecodeTimeout.TotalSeconds:0.#} s");
        }
        catch (EngineException e)
        {
            throw new ThumbnailException(FailureReason.DecodeFailed, e.Message, e);
        }
    }
}
