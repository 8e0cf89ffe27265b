using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Core.Sources.Chain;
using Tessera.Core.Stats;
using Tessera.Core.Storage;

namespace Tessera.Core.Pipeline;

/// <summary>Keeps oversized encodings out of the cache: a rendition larger than <see cref="PipelineOptions.MaxRenditionBytes"/>,
/// or than its original (once past <see cref="SourceRuleFloor"/>), is replaced by the original's own bytes stripped of
/// metadata when they already are the thumbnail (same format, same size, upright, sRGB, one frame), else by a lower
/// quality (lossy formats), else refused. Every such rendition is counted (<see cref="Counter.Oversized"/>).</summary>
public sealed partial class SizeGuard(PipelineOptions options, Thumbnailer thumbnailer, OriginalStore originals, RequestCounters counters,
    ILogger<SizeGuard> logger)
{
    /// <summary>Renditions up to this size are never compared with their original: a PNG thumbnail of an ordinary
    /// photo is 0.3–1 MB, often more than a small JPEG source, and vector sources (SVG, PDF) and palette images
    /// legitimately encode larger than their source. The guard is for the 16 MB "thumbnail", not those.</summary>
    public const long SourceRuleFloor = 512 * 1024;

    /// <summary>Lower qualities tried, in order, below the preset's own.</summary>
    private static readonly int[] Qualities = [65, 50, 35, 20];

    /// <summary>Rendition keys refused since start, so a refused preset is not decoded again on every request. The
    /// key covers the original's content and the preset; the cap changes only with a restart.</summary>
    private readonly ConcurrentDictionary<string, string> _refused = new(StringComparer.Ordinal);

    private const int MaxRemembered = 4096;

    /// <summary>Why <paramref name="key"/> was refused, or null when it was not (or not since start).</summary>
    public string? Refused(string key) => _refused.TryGetValue(key, out var detail) ? detail : null;

    /// <summary>The encoding to store and serve: <paramref name="image"/> when it is small enough, else the smaller
    /// acceptable one. <see cref="Fit.Image"/> is null when none is; <see cref="Fit.Detail"/> then says why.</summary>
    public async Task<Fit> FitAsync(EncodedImage image, Original original, Preset preset, string key, FlightPriority? priority = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(preset);
        var limit = options.MaxRenditionBytes;
        byte[]? source = null;
        long? sourceLength = null;
        if (image.Bytes.Length > SourceRuleFloor)
        {
            (source, sourceLength) = Source(original);
            limit = Math.Min(limit, Math.Max(sourceLength ?? long.MaxValue, SourceRuleFloor));
        }

        if (image.Bytes.Length <= limit)
        {
            return new Fit(image, string.Empty);
        }

        counters.Increment(Counter.Oversized);
        var replaced = AsOriginal(image, original, source, limit) ?? await LowerQualityAsync(image, preset, limit, priority ?? FlightPriority.Live).ConfigureAwait(false);
        var detail = $"the {Formats.Extension(image.Format)} encoding is {image.Bytes.Length} bytes; the limit is {limit}"
            + (sourceLength is { } n ? $" (original {n} bytes, cap {options.MaxRenditionBytes})" : $" (cap {options.MaxRenditionBytes})");
        if (replaced is null)
        {
            Log.Refused(logger, preset.Name, detail);
            if (_refused.Count >= MaxRemembered)
            {
                _refused.Clear(); // a crude bound: forgetting costs one more encode each
            }

            _refused[key] = detail;
            return new Fit(null, detail);
        }

        Log.Replaced(logger, preset.Name, detail, replaced.Bytes.Length);
        return new Fit(replaced with { Elapsed = image.Elapsed + replaced.Elapsed }, detail);
    }

    /// <summary>The original's bytes (when readable) and length: a library file's length, or the stored .orig's.</summary>
    private (byte[]? Bytes, long? Length) Source(Original original)
    {
        try
        {
            if (original.FilePath is { } path)
            {
                var info = new FileInfo(path);
                return info.Exists ? (null, info.Length) : (null, null);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, null);
        }

        var bytes = originals.Read(original.Hash);
        return (bytes, bytes?.Length);
    }

    private static EncodedImage? AsOriginal(EncodedImage image, Original original, byte[]? source, long limit)
    {
        try
        {
            source ??= original.FilePath is { } path && new FileInfo(path).Length <= limit ? File.ReadAllBytes(path) : null;
            if (source is null || source.Length > limit || !OriginalIsThumbnail.Check(source, image))
            {
                return null;
            }

            var stripped = MetadataStripper.Strip(source, image.Format);
            return stripped.Length <= limit ? image with { Bytes = stripped, Elapsed = TimeSpan.Zero } : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    private async Task<EncodedImage?> LowerQualityAsync(EncodedImage image, Preset preset, long limit, FlightPriority priority)
    {
        if (image.Format == OutputFormat.Png)
        {
            return null; // lossless: a lower quality does not exist
        }

        foreach (var quality in Qualities.Where(q => q < preset.Quality))
        {
            EncodedImage smaller;
            try
            {
                // From the rendition, not the source: it already fits the box, so this is a re-encode, not a decode.
                smaller = await thumbnailer.FromBufferAsync(image.Bytes, preset with { Quality = quality }, image.Format, priority, CancellationToken.None).ConfigureAwait(false);
            }
            catch (ThumbnailException)
            {
                return null;
            }

            if (smaller.Bytes.Length <= limit)
            {
                return smaller;
            }
        }

        return null;
    }

    /// <summary>What the guard came to: the image to keep, or null and why not.</summary>
    public sealed record Fit(EncodedImage? Image, string Detail);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1061, Level = LogLevel.Information, Message = "Oversized {Preset} rendition replaced by a {Bytes}-byte one: {Detail}")]
        public static partial void Replaced(ILogger logger, string preset, string detail, int bytes);

        [LoggerMessage(EventId = 1062, Level = LogLevel.Warning, Message = "Oversized {Preset} rendition refused: {Detail}")]
        public static partial void Refused(ILogger logger, string preset, string detail);
    }
}
