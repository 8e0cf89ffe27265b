using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Pipeline;
using Tessera.Core.Remote;
using Tessera.Core.Storage;

namespace Tessera.Core.Sources.Chain;

/// <summary>Provider images, downloaded once and kept content-addressed so every preset comes from one download.
/// A stored copy is used while fresh (the provider's max-age, else <see cref="RemoteCacheOptions.FreshFor"/>), then
/// revalidated with its ETag/Last-Modified; a provider that fails meanwhile gets the stale copy served. A URL that
/// failed is remembered in the negative cache, so it is not asked again until its retry time, whichever item names it.</summary>
public sealed class RemoteOriginals(Lazy<RemoteFetcher> fetcher, IDerivedIndex index, OriginalStore originals, IRenditionStore store,
    NegativeCache negatives, RemoteCacheOptions options, Index.IInvalidationBus? bus = null)
{
    internal static readonly (long, long) UrlSignature = (-4, 0);
    private readonly DerivedMemory _memory = new(index, 100_000);
    private readonly SingleFlight<StepOutcome> _flights = new();

    public RemoteFetcher Fetcher => fetcher.Value;

    /// <summary>The negative-cache identity of a URL.</summary>
    public static string Identity(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return "url:" + url.AbsoluteUri;
    }

    /// <summary>Forgets, in memory only, the downloads of these URLs (null: every download).</summary>
    public void DropMemory(IReadOnlyCollection<string>? urls) => _memory.Drop(urls);

    /// <summary>Forgets downloads of these URLs (a purge): memory, index and negative entries. Returns the originals' hashes.</summary>
    public async Task<IReadOnlyList<string>> ForgetAsync(IReadOnlyCollection<Uri> urls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(urls);
        foreach (var url in urls)
        {
            await negatives.ForgetAsync(Identity(url), cancellationToken).ConfigureAwait(false);
        }

        var sources = urls.Select(u => u.AbsoluteUri).ToList();
        var forgotten = await _memory.ForgetAsync(sources, cancellationToken).ConfigureAwait(false);
        if (bus is not null && sources.Count > 0)
        {
            await bus.PublishAsync(new Index.InvalidationEvent(Index.InvalidationKind.Derived, sources), cancellationToken).ConfigureAwait(false);
        }

        return forgotten;
    }

    /// <summary>The URLs starting with <paramref name="prefix"/> that were downloaded (or tried and remembered).</summary>
    public Task<IReadOnlyList<string>> UrlsFromAsync(string prefix, CancellationToken cancellationToken) => index.SourcesFromAsync(prefix, cancellationToken);

    public async Task<StepOutcome> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var source = url.AbsoluteUri;
        if (negatives.Active(Identity(url), UrlSignature) is { } failed)
        {
            return StepOutcome.Failed(Steps.Remote, failed.Reason, failed.Detail);
        }

        // A fresh download is used without touching the disk: a hit needs only its hash, and if the stored copy was
        // evicted, generating a new preset downloads it again (Rederive).
        var known = await _memory.GetAsync(source, Steps.Remote, cancellationToken).ConfigureAwait(false);
        if (known is { Original: { } hash } && known.FreshUntil > options.Clock.GetUtcNow())
        {
            return Found(url, hash);
        }

        Limits.MissAdmission.Require(); // a fetch: the client's limit is asked (a fresh download above never is)
        return await _flights.RunAsync(source, () => FetchAsync(url, known)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<StepOutcome> FetchAsync(Uri url, DerivedOriginal? known)
    {
        var stored = known?.Original is { } h && await store.ExistsAsync(h, OriginalStore.Extension, CancellationToken.None).ConfigureAwait(false) ? h : null;
        var validators = stored is null ? null : new RemoteValidators(known!.ETag, known.LastModified);
        var result = await Fetcher.FetchAsync(url, validators, CancellationToken.None).ConfigureAwait(false);
        var now = options.Clock.GetUtcNow();
        switch (result)
        {
            case FetchResult.Fetched fetched:
                if (DerivedOriginals.Unreadable(fetched.Bytes) is { } why)
                {
                    return await FailAsync(url, FailureReason.DecodeFailed, $"not a readable image: {why}").ConfigureAwait(false);
                }

                var hash = await originals.TryPutAsync(fetched.Bytes, CancellationToken.None).ConfigureAwait(false);
                await _memory.PutAsync(new DerivedOriginal(url.AbsoluteUri, Steps.Remote, hash, null)
                {
                    ETag = fetched.ETag, LastModified = fetched.LastModified, FreshUntil = now + Freshness(fetched.MaxAge),
                }).ConfigureAwait(false);
                await negatives.ForgetAsync(Identity(url), CancellationToken.None).ConfigureAwait(false);
                return Found(url, hash);

            case FetchResult.NotModified fresh when stored is not null:
                await _memory.PutAsync(known! with
                {
                    ETag = fresh.ETag ?? known.ETag, LastModified = fresh.LastModified ?? known.LastModified, FreshUntil = now + Freshness(fresh.MaxAge),
                }).ConfigureAwait(false);
                return Found(url, stored);

            case FetchResult.Failed { Kind: RemoteFailure.Upstream or RemoteFailure.Timeout } when stored is not null:
                // Stale if error: the copy we have beats a placeholder while the provider is down.
                return Found(url, stored);

            case FetchResult.Failed failed:
                return await FailAsync(url, Reason(failed.Kind), $"{url.Host}: {failed.Detail}", failed.RetryAfter).ConfigureAwait(false);

            default:
                return await FailAsync(url, FailureReason.UpstreamError, $"{url.Host}: 304 for a request that had no validators").ConfigureAwait(false);
        }
    }

    private StepOutcome Found(Uri url, string hash) =>
        StepOutcome.Of(new Original(hash, Steps.Remote, null) { Rederive = ct => DownloadAgainAsync(url, ct) });

    /// <summary>The stored copy was evicted after the key was computed: download it again, unconditionally.</summary>
    private async Task<byte[]> DownloadAgainAsync(Uri url, CancellationToken cancellationToken)
    {
        var result = await Fetcher.FetchAsync(url, null, cancellationToken).ConfigureAwait(false);
        if (result is FetchResult.Fetched fetched)
        {
            await originals.TryPutAsync(fetched.Bytes, cancellationToken).ConfigureAwait(false);
            return fetched.Bytes;
        }

        var (reason, detail) = result is FetchResult.Failed f ? (Reason(f.Kind), f.Detail) : (FailureReason.UpstreamError, "unexpected 304");
        throw new ThumbnailException(reason, $"{url.Host}: {detail}");
    }

    private async Task<StepOutcome> FailAsync(Uri url, FailureReason reason, string detail, TimeSpan? retryAfter = null)
    {
        try
        {
            await negatives.RecordAsync(Identity(url), UrlSignature, reason, detail, CancellationToken.None, retryAfter).ConfigureAwait(false);
        }
        catch (IndexException)
        {
            // Remembered in memory only; the answer is the same.
        }

        return StepOutcome.Failed(Steps.Remote, reason, detail);
    }

    private TimeSpan Freshness(TimeSpan? maxAge)
    {
        var fresh = maxAge ?? options.FreshFor;
        return fresh < options.MinFresh ? options.MinFresh : fresh > options.MaxFresh ? options.MaxFresh : fresh;
    }

    private static FailureReason Reason(RemoteFailure kind) => kind switch
    {
        RemoteFailure.NotFound => FailureReason.NotFound,
        RemoteFailure.Blocked => FailureReason.Blocked,
        RemoteFailure.TooLarge => FailureReason.TooLarge,
        RemoteFailure.NotAnImage => FailureReason.DecodeFailed,
        RemoteFailure.Timeout => FailureReason.Timeout,
        _ => FailureReason.UpstreamError,
    };
}

/// <summary>A provider URL in an item's chain.</summary>
public sealed class RemoteStep(Uri url, RemoteOriginals remote) : ISourceStep
{
    public string Name => Steps.Remote;

    public Task<StepOutcome> ResolveAsync(CancellationToken cancellationToken) => remote.GetAsync(url, cancellationToken);
}

/// <summary>How long a downloaded original is used before it is revalidated with the provider.</summary>
public sealed class RemoteCacheOptions
{
    /// <summary>When the provider sends no max-age (default 1 day).</summary>
    public TimeSpan FreshFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The floor for a provider's max-age, so no-cache does not mean a request per view (default 1 minute).</summary>
    public TimeSpan MinFresh { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxFresh { get; set; } = TimeSpan.FromDays(30);

    public TimeProvider Clock { get; set; } = TimeProvider.System;
}
