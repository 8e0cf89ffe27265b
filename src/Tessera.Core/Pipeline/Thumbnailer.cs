using System.Diagnostics;
using Tessera.Core.Cache;
using Tessera.Core.Engine;
using Tessera.Core.Presets;

namespace Tessera.Core.Pipeline;

/// <summary>Turns a source into a small, upright, sRGB, metadata-free thumbnail. Policy lives here; the
/// mechanism is the engine's thumbnail (libvips: shrink-on-load, EXIF auto-rotation, first page or frame only).
/// The header decides first (refusals never wait for a slot); the decode then waits for a slot of the
/// <see cref="GenerationLimiter"/> sized by its memory estimate, and holds it until the native work has ended.
/// PDF pages and SVG documents render in a <see cref="RenderWorker"/> process, which a timeout can kill.</summary>
public sealed class Thumbnailer(PipelineOptions options, GenerationLimiter? limiter = null, RenderWorker? worker = null)
{
    private readonly GenerationLimiter _limiter = limiter ?? new GenerationLimiter(int.MaxValue, int.MaxValue);
    private readonly RenderWorker _worker = worker ?? new RenderWorker(options.WorkerPath);
    private readonly DecodeThreads _threads = StartThreads(limiter?.MaxConcurrent ?? Environment.ProcessorCount);

    public PipelineOptions Options { get; } = options;

    /// <summary>Thumbnails a local file. Throws <see cref="ThumbnailException"/> with the reason on failure,
    /// <see cref="QueueFullException"/> when no slot frees in time, and <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> is cancelled before the decode starts (once it runs, only the
    /// time limit stops it). SVG and SVGZ (by extension or content) are sanitised first and rendered from the clean bytes.</summary>
    public Task<EncodedImage> FromFileAsync(string path, Preset preset, OutputFormat format, CancellationToken cancellationToken = default) =>
        FromFileAsync(path, preset, format, FlightPriority.Live, cancellationToken);

    /// <summary>As <see cref="FromFileAsync(string, Preset, OutputFormat, CancellationToken)"/>, waiting for its slot at
    /// <paramref name="priority"/>: a background wait never gets <see cref="QueueFullException"/>.</summary>
    public Task<EncodedImage> FromFileAsync(string path, Preset preset, OutputFormat format, FlightPriority priority, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ThumbnailException(FailureReason.NotFound, "source file not found");
        }

        CheckLength(info.Length);
        if (SourceSniff.IsSvgPath(path))
        {
            byte[]? svg = null;
            return RunAsync(() => Probe(() => VipsEngine.Probe(svg = SvgSource.ReadSanitized(path))),
                (box, encode, kill) => _worker.Available()
                    ? InWorkerAsync(null, svg, box, encode, kill)
                    : Task.FromResult(VipsEngine.Thumbnail(svg!, box, encode, kill)), preset, format, priority, cancellationToken);
        }

        SourceHeader? header = null;
        return RunAsync(() =>
        {
            if (GzipCheck.IsGzip(path))
            {
                GzipCheck.EnsureComplete(path, Options.MaxInputBytes);
            }

            return header = Probe(() => VipsEngine.Probe(path));
        }, (box, encode, kill) => header!.Loader.StartsWith("pdfload", StringComparison.Ordinal) && _worker.Available()
            ? InWorkerAsync(path, null, box, encode, kill)
            : Task.FromResult(VipsEngine.Thumbnail(path, box, encode, kill)), preset, format, priority, cancellationToken);
    }

    /// <summary>A PDF page (by path) or a sanitised SVG (as bytes) rendered by a killable worker process: output capped
    /// at four bytes a pixel of the box, plus room for the format's framing.</summary>
    private async Task<Rendered> InWorkerAsync(string? path, byte[]? svg, ThumbnailBox box, EncodeSettings encode, CancellationToken kill)
    {
        var job = new RenderJob(path, box.Width, box.Height, box.IccToSrgb, encode.Format, encode.Quality, encode.Effort, Options.MaxSourcePixels);
        var (bytes, width, height) = await _worker.RenderAsync(job, svg, ((long)box.Width * box.Height * 4) + (1L << 20), kill).ConfigureAwait(false);
        return new Rendered(bytes, width, height);
    }

    /// <summary>Thumbnails encoded bytes (a fetched original, an extracted frame or cover). SVG and PDF are
    /// refused: their loaders may fetch or run more than pixels, so they come only from library files.</summary>
    public Task<EncodedImage> FromBufferAsync(ReadOnlyMemory<byte> bytes, Preset preset, OutputFormat format, CancellationToken cancellationToken = default) =>
        FromBufferAsync(bytes, preset, format, FlightPriority.Live, cancellationToken);

    public Task<EncodedImage> FromBufferAsync(ReadOnlyMemory<byte> bytes, Preset preset, OutputFormat format, FlightPriority priority, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preset);
        CheckLength(bytes.Length);
        if (SourceSniff.IsSvgOrPdf(bytes.Span))
        {
            throw NotFromBuffer();
        }

        return RunAsync(() =>
        {
            var header = Probe(() => VipsEngine.Probe(bytes));
            if (header.Loader.StartsWith("svgload", StringComparison.Ordinal) || header.Loader.StartsWith("pdfload", StringComparison.Ordinal))
            {
                throw NotFromBuffer(); // the sniff above missed it; never render it unsanitised
            }

            return header;
        }, (box, encode, kill) => Task.FromResult(VipsEngine.Thumbnail(bytes, box, encode, kill)), preset, format, priority, cancellationToken);
    }

    private static DecodeThreads StartThreads(int decodes)
    {
        DecodeThreads.Shared.EnsureThreads(decodes);
        return DecodeThreads.Shared;
    }

    private static ThumbnailException NotFromBuffer() =>
        new(FailureReason.DecodeFailed, "SVG/PDF are accepted only from library files");

    /// <summary>Colour-manages through ICC only when it changes something: CMYK, or a profile other than sRGB
    /// (Display P3, Adobe RGB, ProPhoto). Untagged and sRGB-tagged sources are already sRGB. A JPEG gets Tessera's own
    /// shrink-on-load (<see cref="JpegShrink.Fast"/>) when Encoding:FastShrinkOnLoad is on and it shrinks further
    /// than vips_thumbnail's would (CMYK too, on its own colour path).</summary>
    internal ThumbnailBox BoxFor(Preset preset, SourceHeader header)
    {
        var cmyk = header.Interpretation == "cmyk";
        var needsIcc = cmyk || (header.IccProfile is { } icc && !IccProfiles.IsSrgb(icc));
        var box = new ThumbnailBox(preset.Width, preset.Height, needsIcc) { Cmyk = cmyk };
        if (!Options.FastShrinkOnLoad || !header.Loader.StartsWith("jpegload", StringComparison.Ordinal))
        {
            return box;
        }

        var needed = JpegShrink.Needed(header.Width, header.PageHeight, header.Orientation, box);
        var fast = JpegShrink.Fast(needed);
        return fast > JpegShrink.Vips(needed) ? box with { JpegShrinkOnLoad = fast, Progressive = header.Interlaced } : box;
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

    /// <summary>Reads the header (refusals come from here, before any slot), waits for a slot sized by the decode's
    /// memory estimate, then runs the native part on a pool thread under the decode time cap. <paramref name="render"/>
    /// gets a token that is cancelled only on timeout, to kill the evaluation; the slot is released by the native
    /// work itself when it returns, never by the timed-out caller, so the slots count what really runs.</summary>
    private async Task<EncodedImage> RunAsync(Func<SourceHeader> inspect,
        Func<ThumbnailBox, EncodeSettings, CancellationToken, Task<Rendered>> render,
        Preset preset, OutputFormat format, FlightPriority priority, CancellationToken cancellationToken)
    {
        SourceHeader header;
        try
        {
            header = await Task.Run(inspect, CancellationToken.None).ConfigureAwait(false);
        }
        catch (EngineException e)
        {
            throw new ThumbnailException(FailureReason.DecodeFailed, e.Message, e);
        }

        var box = BoxFor(preset, header);
        var slot = await _limiter.AcquireAsync(DecodeMemory.Estimate(header, box), priority, cancellationToken).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            slot.Dispose(); // given up (e.g. the source failed for another request) while the slot was being granted
            cancellationToken.ThrowIfCancellationRequested();
        }

        var started = Stopwatch.GetTimestamp();
        var encode = new EncodeSettings(format, preset.Quality, Options.Effort(format));
        using var timedOut = new CancellationTokenSource();
        var kill = timedOut.Token; // taken now: the work may outlive the source, and a disposed source's token stays usable
        // On a long-lived decode thread, not the pool's (see DecodeThreads).
        var work = Task.Factory.StartNew(async () =>
        {
            using (slot)
            {
                var rendered = await render(box, encode, kill).ConfigureAwait(false);
                var preview = rendered.Small is { } small ? Preview.Of(small.Width, small.Height, small.Rgba) : null;
                return (MetadataStripper.Strip(rendered.Bytes, format), rendered.Width, rendered.Height, preview);
            }
        }, CancellationToken.None, TaskCreationOptions.None, _threads).Unwrap();
        try
        {
            var (bytes, width, height, preview) = await work.WaitAsync(Options.DecodeTimeout, Options.Clock, CancellationToken.None).ConfigureAwait(false);
            return new EncodedImage(bytes, format, width, height, Stopwatch.GetElapsedTime(started)) { Preview = preview };
        }
        catch (TimeoutException)
        {
            // In-process, set libvips' kill flag on the image being evaluated: the evaluation stops at its next tile or
            // strip and the native call returns (then the slot frees). A loader inside one long native call
            // (libspng/libjpeg decode an interlaced PNG or progressive JPEG whole) finishes that call first: it holds its
            // slot until then, so it is counted and never exceeds the limit. PDF and SVG, drawn in one long call by
            // poppler and librsvg, run in a worker process instead: this kills it, and its slot frees once it has exited.
            timedOut.Cancel();
            _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new ThumbnailException(FailureReason.Timeout, $"decoding took longer than {Options.DecodeTimeout.TotalSeconds:0.#} s");
        }
        catch (EngineException e)
        {
            throw new ThumbnailException(FailureReason.DecodeFailed, e.Message, e);
        }
    }
}
