using Microsoft.Extensions.Logging;
using Tessera.Core.Eviction;
using Tessera.Core.Index;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Core.Sources.Chain;
using Tessera.Core.Storage;

namespace Tessera.Core.Cache;

/// <summary>The request path: the item's source chain gives an original (a file, an embedded cover, a frame, a
/// download), its hash and the preset give the rendition key, then memory → disk → one generation per key however
/// many wait, under a global encode limit. Items known to fail are answered from the <see cref="NegativeCache"/>
/// before any of that, at the cost of a stat or two.</summary>
public sealed partial class ThumbnailService(
    IRenditionStore store,
    IRenditionIndex index,
    Thumbnailer thumbnailer,
    SourcePlanner planner,
    OriginalStore originals,
    HotCache hot,
    SizeGuard guard,
    NegativeCache negatives,
    AccessTracker access,
    Stats.TesseraMetrics metrics,
    ILogger<ThumbnailService> logger,
    IIndexAvailability? availability = null,
    RenditionLeasing? leasing = null)
{
    private readonly SingleFlight<ThumbnailResult> _flights = new();
    private readonly SourceFailures _failures = new();
    private readonly VerifiedFiles _verified = new();
    private readonly RenditionKeyMemo _keys = new();
    private long _generations;

    /// <summary>How many times a source was actually decoded and encoded (single-flight joins excluded).</summary>
    public long Generations => Interlocked.Read(ref _generations);

    /// <summary>The failure a negative item gets now, or null when it should be tried. Costs a stat and reads nothing.</summary>
    public ThumbnailResult? KnownFailure(string fullPath, OutputFormat format) => KnownFailure(new FileItem(fullPath, null), format);

    public ThumbnailResult? KnownFailure(ThumbnailItem item, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(item);
        return negatives.Active(item.Identity, SourcePlanner.Signature(item)) is { } e ? ThumbnailResult.Failed(e.Reason, format, e.Detail) : null;
    }

    /// <summary>The thumbnail of a file: cached bytes, or generated now. Throws <see cref="QueueFullException"/>
    /// when too many encodes are waiting.</summary>
    public Task<ThumbnailResult> GetAsync(string fullPath, Preset preset, OutputFormat format, CancellationToken cancellationToken) =>
        GetAsync(new FileItem(fullPath, null), preset, format, cancellationToken);

    public async Task<ThumbnailResult> GetAsync(ThumbnailItem item, Preset preset, OutputFormat format, CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(item, preset, format, cancellationToken).ConfigureAwait(false);
        return prepared.Failure ?? await GetAsync(prepared.Request!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The thumbnail for a request already prepared (its key known, e.g. for an ETag check first).</summary>
    public Task<ThumbnailResult> GetAsync(ThumbnailRequest request, CancellationToken cancellationToken) => GetAsync(request, false, cancellationToken);

    /// <summary>As <see cref="GetAsync(ThumbnailRequest, CancellationToken)"/>; with <paramref name="fileOk"/>, a disk hit
    /// of a file this process already checked comes back as its <see cref="ThumbnailResult.File"/>, not read.</summary>
    public async Task<ThumbnailResult> GetAsync(ThumbnailRequest request, bool fileOk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await TryReadAsync(request.Key.Value, request.Format, fileOk).ConfigureAwait(false)
            ?? await GenerateLiveAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.Outcome != ThumbnailOutcome.Failed)
        {
            await ForgetAsync(request.Item.Identity).ConfigureAwait(false);
        }

        return result;
    }

    // A miss: the client's limit is asked first (Limits:MissesPerMinute), so a hit never is.
    private Task<ThumbnailResult> GenerateLiveAsync(ThumbnailRequest request, CancellationToken cancellationToken)
    {
        Limits.MissAdmission.Require();
        return _flights.RunAsync(request.Key.Value, WorkPriority.Live, p => GenerateAsync(request, p)).WaitAsync(cancellationToken);
    }

    public Task<PreparedThumbnail> PrepareAsync(string fullPath, Preset preset, OutputFormat format, CancellationToken cancellationToken) =>
        PrepareAsync(new FileItem(fullPath, null), preset, format, cancellationToken);

    /// <summary>What every request does first: the negative check (a stat, no read), then the source chain, which
    /// gives the original and so the key. Either the request or the failure to answer with is set. Throws
    /// <see cref="QueueFullException"/> when an extraction would have to wait too long.</summary>
    public Task<PreparedThumbnail> PrepareAsync(ThumbnailItem item, Preset preset, OutputFormat format, CancellationToken cancellationToken) =>
        PrepareAsync(item, preset, format, WorkPriority.Live, cancellationToken);

    /// <summary>As <see cref="PrepareAsync(ThumbnailItem, Preset, OutputFormat, CancellationToken)"/>, extracting (ffmpeg)
    /// at <paramref name="priority"/>.</summary>
    public async Task<PreparedThumbnail> PrepareAsync(ThumbnailItem item, Preset preset, OutputFormat format, WorkPriority priority,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(preset);
        var signature = SourcePlanner.Signature(item);
        if (negatives.Active(item.Identity, signature) is { } known)
        {
            return new PreparedThumbnail(null, ThumbnailResult.Failed(known.Reason, format, known.Detail), KnownNegative: true);
        }

        var chain = await SourceChain.ResolveAsync(planner.Plan(item, priority), cancellationToken).ConfigureAwait(false);
        if (chain.Original is not { } original)
        {
            var (reason, detail) = SourceChain.Failure(chain.Outcomes);
            await RememberAsync(item.Identity, signature, reason, detail).ConfigureAwait(false);
            return new PreparedThumbnail(null, ThumbnailResult.Failed(reason, format, detail), KnownNegative: false);
        }

        var key = _keys.Get(original.Hash, preset, format);
        return new PreparedThumbnail(new ThumbnailRequest(item, signature, original, key, preset, format), null, KnownNegative: false);
    }

    /// <summary>A stored rendition by key (content-addressed URLs), or null.</summary>
    public async Task<ThumbnailResult?> GetByKeyAsync(string key, OutputFormat format) =>
        RenditionKeyFormat.IsValid(key) ? await TryReadAsync(key, format).ConfigureAwait(false) : null;

    /// <summary>Makes sure a file's rendition is stored: true when it was generated now, false when it was
    /// already there. Failures come back as a failed result.</summary>
    public Task<ThumbnailResult?> EnsureAsync(string fullPath, Preset preset, OutputFormat format, CancellationToken cancellationToken) =>
        EnsureAsync(new FileItem(fullPath, null), preset, format, WorkPriority.Live, cancellationToken);

    public Task<ThumbnailResult?> EnsureAsync(ThumbnailItem item, Preset preset, OutputFormat format, CancellationToken cancellationToken) =>
        EnsureAsync(item, preset, format, WorkPriority.Live, cancellationToken);

    public Task<ThumbnailResult?> EnsureAsync(string fullPath, Preset preset, OutputFormat format, WorkPriority priority, CancellationToken cancellationToken) =>
        EnsureAsync(new FileItem(fullPath, null), preset, format, priority, cancellationToken);

    /// <summary>As <see cref="EnsureAsync(ThumbnailItem, Preset, OutputFormat, CancellationToken)"/>, at <paramref name="priority"/>:
    /// jobs and warm ensure at <see cref="WorkPriority.Background"/>, so they take at most their share of the encode
    /// slots, never get 429, and a request that needs the same rendition meanwhile promotes the generation.</summary>
    public async Task<ThumbnailResult?> EnsureAsync(ThumbnailItem item, Preset preset, OutputFormat format, WorkPriority priority,
        CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(item, preset, format, priority, cancellationToken).ConfigureAwait(false);
        if (prepared.Failure is not null)
        {
            return prepared.Failure;
        }

        var request = prepared.Request!;
        var result = await IsStoredAsync(request.Key.Value, format, cancellationToken).ConfigureAwait(false)
            ? null
            : await _flights.RunAsync(request.Key.Value, priority, p => GenerateAsync(request, p)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (result is { Outcome: ThumbnailOutcome.Hit })
        {
            result = null; // it was there after all: an object without its row (a writer died between the two), read, checked and adopted
        }

        if (result is not { Outcome: ThumbnailOutcome.Failed })
        {
            await ForgetAsync(item.Identity).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Stored for sure: an index row and an object. The row is written only after the object is whole, so an
    /// object without one may be what a writer killed mid-upload left (an S3-compatible server may keep a cut-off body);
    /// that case goes through the generation path, whose read checks the object and adopts or replaces it.</summary>
    private async Task<bool> IsStoredAsync(string key, OutputFormat format, CancellationToken cancellationToken)
    {
        try
        {
            if (await index.GetRenditionCheckAsync(key, cancellationToken).ConfigureAwait(false) is null)
            {
                return false;
            }
        }
        catch (IndexException)
        {
            return false; // unreadable: the generation path reads and checks the object itself
        }

        return await store.ExistsAsync(key, Formats.Extension(format), cancellationToken).ConfigureAwait(false);
    }

    // The negative cache is an optimisation: when the index cannot be written, the request still gets its answer.
    private async Task RememberAsync(string item, (long, long) signature, FailureReason reason, string detail)
    {
        try
        {
            await negatives.RecordAsync(item, signature, reason, detail, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IndexException e)
        {
            Log.NegativeNotStored(logger, new Redaction.Redacted(item), e.Message);
        }
    }

    private async Task ForgetAsync(string item)
    {
        try
        {
            await negatives.ForgetAsync(item, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IndexException e)
        {
            Log.NegativeNotStored(logger, new Redaction.Redacted(item), e.Message);
        }
    }

    private async Task<ThumbnailResult> GenerateAsync(ThumbnailRequest request, FlightPriority priority)
    {
        var (item, signature, original, key, preset, format) = request;

        // Another request may have published it while this one waited for the flight.
        if (await TryReadAsync(key.Value, format).ConfigureAwait(false) is { } raced)
        {
            return raced;
        }

        // Degraded (the disk is full): what is made now could be neither stored nor indexed, so every request would make it again.
        if (availability?.ReadOnlyReason is { } readOnly)
        {
            throw new IndexReadOnlyException(readOnly);
        }

        if (guard.Refused(key.Value) is { } tooLarge)
        {
            return ThumbnailResult.Failed(FailureReason.TooLarge, format, $"{original.Step}: {tooLarge}");
        }

        // Replicas sharing the index render a key once between them: the others wait for its result.
        return leasing is null
            ? await RenderAsync(request, priority).ConfigureAwait(false)
            : await leasing.RunAsync(key.Value, () => PublishedAsync(request), () => RenderAsync(request, priority)).ConfigureAwait(false);
    }

    /// <summary>What another replica made of a key whose lease this one now holds: the rendition it stored, or the failure
    /// it recorded in the shared index, so a waiter never renders a bad file again.</summary>
    private async Task<ThumbnailResult?> PublishedAsync(ThumbnailRequest request)
    {
        if (await TryReadAsync(request.Key.Value, request.Format).ConfigureAwait(false) is { } stored)
        {
            return stored;
        }

        try
        {
            return await negatives.RefreshAsync(request.Item.Identity, request.Signature, CancellationToken.None).ConfigureAwait(false) is { } failed
                ? ThumbnailResult.Failed(failed.Reason, request.Format, failed.Detail)
                : null;
        }
        catch (IndexException)
        {
            return null; // unreadable: render, and learn the failure that way if there is one
        }
    }

    private async Task<ThumbnailResult> RenderAsync(ThumbnailRequest request, FlightPriority priority)
    {
        var (item, signature, original, key, preset, format) = request;

        // One decode of a source at a time; the Thumbnailer then waits for an encode slot. A failure of this source
        // meanwhile (another preset or format timed out) cancels both waits, and this request answers from it.
        using var watch = _failures.Enter(item.Identity);
        EncodedImage image;
        try
        {
            await watch.TakeTurnAsync(priority, watch.Token).ConfigureAwait(false);
            try
            {
                // A request that entered after an earlier decode of this source failed (so it got a fresh watch) sees
                // that failure here: the negative entry is recorded before the failure is announced.
                if (negatives.Active(item.Identity, signature) is { } failed)
                {
                    return ThumbnailResult.Failed(failed.Reason, format, failed.Detail);
                }

                image = await ProduceAsync(original, preset, format, priority, watch.Token).ConfigureAwait(false);
            }
            catch (ThumbnailException e)
            {
                Interlocked.Increment(ref _generations);
                Log.Failed(logger, new Redaction.Redacted(item.Identity), e.Reason.ToString(), new Redaction.Redacted(e.Message));
                var detail = $"{original.Step}: {e.Message}";
                await RememberAsync(item.Identity, signature, e.Reason, detail).ConfigureAwait(false);
                _failures.Fail(item.Identity, e.Reason, detail); // after the negative entry, before the turn passes
                return ThumbnailResult.Failed(e.Reason, format, detail);
            }
            finally
            {
                watch.LeaveTurn();
            }
        }
        catch (OperationCanceledException) when (watch.Token.IsCancellationRequested)
        {
            return negatives.Active(item.Identity, signature) is { } known ? ThumbnailResult.Failed(known.Reason, format, known.Detail)
                : ThumbnailResult.Failed(watch.Failure!.Value.Reason, format, watch.Failure.Value.Detail);
        }

        Interlocked.Increment(ref _generations);

        // Per preset, not per item: no negative entry, other presets of the item may fit.
        var fit = await guard.FitAsync(image, original, preset, key.Value, priority).ConfigureAwait(false);
        if (fit.Image is null)
        {
            return ThumbnailResult.Failed(FailureReason.TooLarge, format, $"{original.Step}: {fit.Detail}");
        }

        image = fit.Image;
        metrics.Generated(image.Elapsed);
        var ext = Formats.Extension(format);
        try
        {
            await store.WriteAsync(key.Value, ext, image.Bytes, CancellationToken.None).ConfigureAwait(false);
            await index.RecordRenditionAsync(new RenditionRecord(key.Value, ext, image.Bytes.Length, original.Hash, preset.Name,
                image.Width, image.Height, image.Elapsed.TotalMilliseconds)
            {
                Checksum = Checksum(image.Bytes),
                Settings = RenditionKey.SettingsVersion(preset.CanonicalString(format)),
                Preview = image.Preview ?? Preview.Of(image.Bytes), // else a small decode of the rendition: the manifest never decodes
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexException)
        {
            Log.StoreFailed(logger, key.Value, e.Message);
        }

        if (priority.Value == WorkPriority.Live)
        {
            // Job work (a warm) stays out of memory: it would push out what users are viewing, and a 10,000-file
            // warm grew by the whole memory cache for nothing. A live request that joined it promoted it to Live.
            hot.Put(key.Value, image.Bytes);
        }

        Log.Generated(logger, key.Value, preset.Name, image.Bytes.Length, image.Elapsed.TotalMilliseconds, new Redaction.Redacted(item.Identity));
        return new ThumbnailResult(ThumbnailOutcome.Generated, key.Value, format, image.Bytes);
    }

    /// <summary>Decode, resize, encode: a file in place, or derived bytes (derived again when they were evicted).</summary>
    private async Task<EncodedImage> ProduceAsync(Original original, Preset preset, OutputFormat format, FlightPriority priority,
        CancellationToken sourceFailed)
    {
        try
        {
            if (original.FilePath is { } path)
            {
                return await thumbnailer.FromFileAsync(path, preset, format, priority, sourceFailed).ConfigureAwait(false);
            }

            var bytes = originals.Read(original.Hash)
                ?? (original.Rederive is { } rederive
                    ? await rederive(CancellationToken.None).ConfigureAwait(false)
                    : throw new ThumbnailException(FailureReason.NotFound, "the original is gone"));
            return await thumbnailer.FromBufferAsync(bytes, preset, format, priority, sourceFailed).ConfigureAwait(false);
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
