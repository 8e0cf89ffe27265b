using Microsoft.Extensions.Logging;
using Tessera.Core.Eviction;
using Tessera.Core.Index;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Core.Storage;
using Tessera.Vips;

namespace Tessera.Core.Cache;

/// <summary>The request path for a source file: fingerprint → rendition key → memory → disk → one generation
/// per key however many wait, under a global encode limit. Items known to fail are answered from the
/// <see cref="NegativeCache"/> before any of that, at the cost of one stat.</summary>
public sealed class ThumbnailService(
    IRenditionStore store,
    ICacheIndex index,
    Fingerprinter fingerprints,
    Thumbnailer thumbnailer,
    FfmpegExtractor ffmpeg,
    HotCache hot,
    GenerationLimiter limiter,
    NegativeCache negatives,
    AccessTracker access,
    ILogger<ThumbnailService> logger)
{
    private readonly SingleFlight<ThumbnailResult> _flights = new();
    private long _generations;

    /// <summary>How many times a source was actually decoded and encoded (single-flight joins excluded).</summary>
    public long Generations => Interlocked.Read(ref _generations);

    public GenerationLimiter Limiter => limiter;

    /// <summary>How long generations took (decode, resize, encode), for /metrics.</summary>
    public Stats.DurationHistogram GenerationTimes { get; } = new();

    public NegativeCache Negatives => negatives;

    /// <summary>The failure a negative item gets now, or null when it should be tried. Costs one stat and
    /// reads nothing, so callers check it before <see cref="KeyForAsync"/> hashes the file.</summary>
    public ThumbnailResult? KnownFailure(string fullPath, ImageFormat format) =>
        negatives.Active(fullPath, NegativeCache.Stat(fullPath)) is { } e ? ThumbnailResult.Failed(e.Reason, format, e.Detail) : null;

    /// <summary>The key a file's rendition has now, or null when the file is gone. Throws
    /// <see cref="ThumbnailException"/> for sources that cannot be read (empty files, FIFOs, devices).</summary>
    public async Task<RenditionKey?> KeyForAsync(string fullPath, Preset preset, ImageFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preset);
        try
        {
            var fp = await fingerprints.GetAsync(fullPath, cancellationToken).ConfigureAwait(false);
            return RenditionKey.Compute(fp.ContentHash, preset.CanonicalString(format));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The thumbnail of a file: cached bytes, or generated now. Throws <see cref="QueueFullException"/>
    /// when too many encodes are waiting.</summary>
    public async Task<ThumbnailResult> GetAsync(string fullPath, Preset preset, ImageFormat format, CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(fullPath, preset, format, cancellationToken).ConfigureAwait(false);
        return prepared.Failure ?? await GetAsync(prepared.Request!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The thumbnail for a request already prepared (its key known, e.g. for an ETag check first).</summary>
    public async Task<ThumbnailResult> GetAsync(ThumbnailRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (fullPath, stat, k, preset, format) = request;
        var result = await TryReadAsync(k.Value, format).ConfigureAwait(false)
            ?? await _flights.RunAsync(k.Value, () => GenerateAsync(fullPath, stat, k, preset, format)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (result.Outcome != ThumbnailOutcome.Failed)
        {
            await ForgetAsync(fullPath).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>What every request for a file does first: the negative check (one stat, no read), then the
    /// key. Either the request or the failure to answer with is set.</summary>
    public async Task<PreparedThumbnail> PrepareAsync(string fullPath, Preset preset, ImageFormat format, CancellationToken cancellationToken)
    {
        var stat = NegativeCache.Stat(fullPath);
        if (negatives.Active(fullPath, stat) is { } known)
        {
            return new PreparedThumbnail(null, ThumbnailResult.Failed(known.Reason, format, known.Detail), KnownNegative: true);
        }

        var (key, failure) = await ResolveKeyAsync(fullPath, stat, preset, format, cancellationToken).ConfigureAwait(false);
        return failure is not null
            ? new PreparedThumbnail(null, failure, KnownNegative: false)
            : new PreparedThumbnail(new ThumbnailRequest(fullPath, stat, key, preset, format), null, KnownNegative: false);
    }

    /// <summary>A stored rendition by key (content-addressed URLs), or null.</summary>
    public async Task<ThumbnailResult?> GetByKeyAsync(string key, ImageFormat format) =>
        RenditionKeyFormat.IsValid(key) ? await TryReadAsync(key, format).ConfigureAwait(false) : null;

    /// <summary>Makes sure a file's rendition is stored: true when it was generated now, false when it was
    /// already there. Failures come back as a failed result.</summary>
    public async Task<ThumbnailResult?> EnsureAsync(string fullPath, Preset preset, ImageFormat format, CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(fullPath, preset, format, cancellationToken).ConfigureAwait(false);
        if (prepared.Failure is not null)
        {
            return prepared.Failure;
        }

        var (_, stat, k, _, _) = prepared.Request!;
        var result = store.Exists(k.Value, Formats.Extension(format))
            ? null
            : await _flights.RunAsync(k.Value, () => GenerateAsync(fullPath, stat, k, preset, format)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (result is not { Outcome: ThumbnailOutcome.Failed })
        {
            await ForgetAsync(fullPath).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<(RenditionKey Key, ThumbnailResult? Failure)> ResolveKeyAsync(string fullPath, (long, long) stat, Preset preset, ImageFormat format, CancellationToken cancellationToken)
    {
        FailureReason reason;
        string detail;
        try
        {
            var key = await KeyForAsync(fullPath, preset, format, cancellationToken).ConfigureAwait(false);
            if (key is { } k)
            {
                return (k, null);
            }

            (reason, detail) = (FailureReason.NotFound, "source file not found");
        }
        catch (ThumbnailException e)
        {
            (reason, detail) = (e.Reason, e.Message);
        }

        await RememberAsync(fullPath, stat, reason, detail).ConfigureAwait(false);
        return (default, ThumbnailResult.Failed(reason, format, detail));
    }

    // The negative cache is an optimisation: when the index cannot be written, the request still gets its answer.
    private async Task RememberAsync(string fullPath, (long, long) stat, FailureReason reason, string detail)
    {
        try
        {
            await negatives.RecordAsync(fullPath, stat, reason, detail, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            Log.NegativeNotStored(logger, fullPath, e.Message);
        }
    }

    private async Task ForgetAsync(string fullPath)
    {
        try
        {
            await negatives.ForgetAsync(fullPath, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            Log.NegativeNotStored(logger, fullPath, e.Message);
        }
    }

    /// <summary>Memory, else disk. Bytes from disk are checked against the index (length and SHA-256) before
    /// they are served or kept in memory: a damaged or foreign file is deleted and counts as a miss.</summary>
    private async Task<ThumbnailResult?> TryReadAsync(string key, ImageFormat format)
    {
        if (hot.TryGet(key, out var bytes))
        {
            access.Touch(key);
            return new ThumbnailResult(ThumbnailOutcome.Hit, key, format, bytes);
        }

        try
        {
            // Eviction may delete the file at any moment: gone before the open is a miss (OpenRead gives null);
            // gone after it, the open handle still reads the whole file.
            using var stream = store.OpenRead(key, Formats.Extension(format));
            if (stream is null)
            {
                return null;
            }

            var length = stream.Length;
            if (length == 0)
            {
                return null;
            }

            bytes = new byte[length];
            stream.ReadExactly(bytes);
        }
        catch (IOException e)
        {
            Log.ReadFailed(logger, key, e.Message);
            return null;
        }

        if (!await IsIntactAsync(key, format, bytes).ConfigureAwait(false))
        {
            store.Delete(key, Formats.Extension(format));
            return null;
        }

        hot.Put(key, bytes);
        access.Touch(key);
        return new ThumbnailResult(ThumbnailOutcome.Hit, key, format, bytes);
    }

    private async Task<bool> IsIntactAsync(string key, ImageFormat format, byte[] bytes)
    {
        RenditionCheck? check;
        try
        {
            check = await index.GetRenditionCheckAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            check = null; // the index is unreadable: fall back to the decode check below
        }

        if (check is { Checksum: { } sum })
        {
            var ok = check.Bytes == bytes.Length && Checksum(bytes) == sum;
            if (!ok)
            {
                Log.Corrupt(logger, key, check.Bytes, bytes.Length);
            }

            return ok;
        }

        // No row, or one rebuilt from files without a checksum: serve it only if it is a whole image of the
        // expected format (a truncated file fails here), and record its checksum for next time.
        try
        {
            var header = Vips.VipsImage.Probe(bytes);
            if (!header.Loader.StartsWith(Formats.Extension(format) switch { "jpg" => "jpeg", "avif" => "heif", var e => e }, StringComparison.Ordinal))
            {
                return false;
            }

            using var image = Vips.VipsImage.Thumbnail(bytes, new Vips.ThumbnailOptions(16, 16) { ExportProfile = null });
            _ = image.Average(); // decodes every pixel of the shrunk image: a cut-off file fails here
        }
        catch (Vips.VipsException)
        {
            Log.Corrupt(logger, key, check?.Bytes ?? -1, bytes.Length);
            return false;
        }

        try
        {
            await index.RecordRenditionAsync(new RenditionRecord(key, Formats.Extension(format), bytes.Length, null, null, 0, 0, null) { Checksum = Checksum(bytes) },
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            Log.StoreFailed(logger, key, e.Message);
        }

        return true;
    }

    internal static string Checksum(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    private async Task<ThumbnailResult> GenerateAsync(string fullPath, (long, long) stat, RenditionKey key, Preset preset, ImageFormat format)
    {
        // Another request may have published it while this one waited for the flight.
        if (await TryReadAsync(key.Value, format).ConfigureAwait(false) is { } raced)
        {
            return raced;
        }

        using var slot = await limiter.AcquireAsync(CancellationToken.None).ConfigureAwait(false);
        Interlocked.Increment(ref _generations);
        EncodedImage image;
        try
        {
            image = await ProduceAsync(fullPath, preset, format).ConfigureAwait(false);
        }
        catch (ThumbnailException e)
        {
            Log.Failed(logger, fullPath, e.Reason.ToString(), e.Message);
            await RememberAsync(fullPath, stat, e.Reason, e.Message).ConfigureAwait(false);
            return ThumbnailResult.Failed(e.Reason, format, e.Message);
        }

        GenerationTimes.Record(image.Elapsed);
        var ext = Formats.Extension(format);
        try
        {
            await store.WriteAsync(key.Value, ext, image.Bytes, CancellationToken.None).ConfigureAwait(false);
            var fp = await fingerprints.GetAsync(fullPath, CancellationToken.None).ConfigureAwait(false);
            await index.RecordRenditionAsync(new RenditionRecord(key.Value, ext, image.Bytes.Length, fp.ContentHash, preset.Name,
                image.Width, image.Height, image.Elapsed.TotalMilliseconds) { Checksum = Checksum(image.Bytes) }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            Log.StoreFailed(logger, key.Value, e.Message);
        }

        hot.Put(key.Value, image.Bytes);
        Log.Generated(logger, key.Value, preset.Name, image.Bytes.Length, image.Elapsed.TotalMilliseconds, fullPath);
        return new ThumbnailResult(ThumbnailOutcome.Generated, key.Value, format, image.Bytes);
    }

    private async Task<EncodedImage> ProduceAsync(string fullPath, Preset preset, ImageFormat format)
    {
        try
        {
            switch (MediaKinds.Of(fullPath))
            {
                case MediaKind.Video:
                    var frame = await ffmpeg.VideoFrameAsync(fullPath, CancellationToken.None).ConfigureAwait(false);
                    return await thumbnailer.FromBufferAsync(frame, preset, format).ConfigureAwait(false);
                case MediaKind.Audio:
                    var cover = await ffmpeg.EmbeddedCoverAsync(fullPath, CancellationToken.None).ConfigureAwait(false)
                        ?? throw new ThumbnailException(FailureReason.NotFound, "the audio file has no embedded cover");
                    return await thumbnailer.FromBufferAsync(cover, preset, format).ConfigureAwait(false);
                default:
                    return await thumbnailer.FromFileAsync(fullPath, preset, format).ConfigureAwait(false);
            }
        }
        catch (ExternalToolException e)
        {
            throw new ThumbnailException(FailureReason.DecodeFailed, e.Message, e);
        }
        catch (TimeoutException e)
        {
            throw new ThumbnailException(FailureReason.Timeout, e.Message, e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ThumbnailException(FailureReason.NotFound, "source file not found", e);
        }
    }
}
