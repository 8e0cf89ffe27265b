using Microsoft.Extensions.Logging;
using Tessera.Core.Cache;
using Tessera.Core.Eviction;
using Tessera.Core.Index;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Core.Sources.Chain;
using Tessera.Core.Stats;
using Tessera.Core.Storage;

namespace Tessera.Core;

/// <summary>One open data folder and everything built on it. The server and the CLI both start here, so a
/// folder warmed by `tessera warm` is served hot by `tessera serve`.</summary>
public sealed class TesseraCache : IDisposable
{
    private readonly GenerationLimiter _limiter;

    private TesseraCache(TesseraOptions options, ILoggerFactory loggers, Func<DataFolder, ILoggerFactory, IndexPorts> openIndex, IHttpClientFactory? http)
    {
        options.Validate();
        Options = options;
        Folder = new DataFolder(options.DataPath);
        SweptTempFiles = Folder.Open();
        var logger = loggers.CreateLogger<TesseraCache>();
        Index = openIndex(Folder, loggers);
        Store = new DiskRenditionStore(Folder);
        Presets = options.BuildPresetCatalog();
        Libraries = options.Libraries.ToDictionary(kv => kv.Key, kv => new FolderLibrary(kv.Key, kv.Value), StringComparer.Ordinal);
        Thumbnailer = new Thumbnailer(options.Pipeline);
        Placeholders = new Placeholders();
        _limiter = new GenerationLimiter(options.MaxConcurrentEncodes, options.MaxQueuedEncodes);
        var hot = new HotCache(options.HotCacheBytes);
        var negatives = new NegativeCache(Index.Negatives, options.Negative);
        Access = new AccessTracker(TimeProvider.System);
        Originals = new OriginalStore(Store, Index.Renditions, Access);
        var fingerprints = new Fingerprinter(Index.Fingerprints);
        Derived = new DerivedOriginals(Index.Derived, Originals, _limiter);
        // Hosts without dependency injection (the CLI) get the same guarded client stack, built here, and only
        // when a provider is first asked: a warm of local folders never pays for it.
        var fetcher = new Lazy<Tessera.Core.Remote.RemoteFetcher>(() => new Tessera.Core.Remote.RemoteFetcher(
            http ?? Tessera.Core.Remote.RemoteHttp.CreateFactory(options.Remote), options.Remote, TimeProvider.System,
            loggers.CreateLogger<Tessera.Core.Remote.RemoteFetcher>()));
        Remote = new RemoteOriginals(fetcher, Index.Derived, Originals, Store, negatives, options.RemoteCache);
        var planner = new SourcePlanner(fingerprints, Derived, new FfmpegExtractor(options.Ffmpeg), new SidecarFinder(options.SidecarNames),
            url => new RemoteStep(url, Remote));
        Service = new ThumbnailService(Store, Index.Renditions, Thumbnailer, planner, Originals, hot, _limiter, negatives, Access, loggers.CreateLogger<ThumbnailService>());
        Items = new Items.ItemRegistry(Index.Items, TimeProvider.System);
        Signer = new Signing.UrlSigner(options.SigningKeys);
        Admin = new CacheAdmin(Index.Fingerprints, Index.Renditions, Index.Eviction, Store, hot, negatives, Derived, Libraries);
        Verifier = new Verifier(Index.Maintenance, Store, hot);
        Evictor = new Evictor(Index.Eviction, Store, hot, Access, Counters, options.Budget, Folder.Root);
        Cleanup = new Cleaner(Index.Cleanup, Index.Renditions, Index.Eviction, Store, hot, Access, Folder, TimeProvider.System);
        if (Index.Maintenance.CreatedNew)
        {
            // A lost index is rebuilt from the files: they are the truth, the index only describes them.
            RebuiltRenditions = Index.Maintenance.RebuildRenditionsAsync(Store.Enumerate(), CancellationToken.None).GetAwaiter().GetResult();
            if (RebuiltRenditions > 0)
            {
                CoreLog.IndexRebuilt(logger, RebuiltRenditions, Folder.RenditionsPath);
            }
        }
    }

    /// <summary>Opens the data folder. <paramref name="openIndex"/> opens its index once the folder is ready (the SQLite
    /// one is <c>SqliteIndex.Open</c>); the cache owns what it returns. <paramref name="http"/> is the host's client factory
    /// (the server registers the guarded client with <see cref="Tessera.Core.Remote.RemoteHttp.AddTesseraRemoteHttp"/>);
    /// without one a private one is built.</summary>
    public static TesseraCache Open(TesseraOptions options, ILoggerFactory loggers, Func<DataFolder, ILoggerFactory, IndexPorts> openIndex,
        IHttpClientFactory? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(openIndex);
        return new TesseraCache(options, loggers, openIndex, http);
    }

    public TesseraOptions Options { get; }

    public DataFolder Folder { get; }

    public DiskRenditionStore Store { get; }

    /// <summary>The index, as the ports Core uses.</summary>
    public IndexPorts Index { get; }

    public PresetCatalog Presets { get; }

    public IReadOnlyDictionary<string, FolderLibrary> Libraries { get; }

    public Thumbnailer Thumbnailer { get; }

    public Placeholders Placeholders { get; }

    public ThumbnailService Service { get; }

    /// <summary>Items apps name by id: aliases and registered sources.</summary>
    public Items.ItemRegistry Items { get; }

    /// <summary>Signs and verifies /r/ URLs.</summary>
    public Signing.UrlSigner Signer { get; }

    /// <summary>Whether /i/ items may live in a library: a folder library, or one with providers configured.</summary>
    public bool IsItemLibrary(string library) => Libraries.ContainsKey(library) || Options.Providers.ContainsKey(library);

    /// <summary>The /i/ item an app's id names for a role: its canonical identity, registration and every URL to try.</summary>
    public async Task<RegisteredItem> ItemAsync(string library, string normalizedId, string role, CancellationToken cancellationToken)
    {
        var (item, registration) = await Items.ResolveAsync(library, normalizedId, role, cancellationToken).ConfigureAwait(false);
        Libraries.TryGetValue(library, out var folder);
        var path = registration?.Path is { } p && folder?.Resolve(p) is { Outcome: PathOutcome.Found } found ? found.FullPath : null;
        var urls = new List<Uri>();
        foreach (var source in registration?.Sources ?? [])
        {
            if (Uri.TryCreate(source, UriKind.Absolute, out var uri))
            {
                urls.Add(uri);
            }
        }

        foreach (var template in Options.Providers.GetValueOrDefault(library) ?? [])
        {
            if (Tessera.Core.Items.ProviderTemplates.Expand(template, item.Id, role) is { } uri && !urls.Contains(uri))
            {
                urls.Add(uri);
            }
        }

        return new RegisteredItem(library, item, role, registration, path, folder, urls);
    }

    /// <summary>Whether a provider URL may be registered or signed: http(s), no user info, an allowed host.
    /// Addresses are checked again when connecting.</summary>
    public bool IsAcceptableSource(string url, out string? reason) => Tessera.Core.Remote.RemoteFetcher.TryCheckUrl(url, Options.Remote, out _, out reason);

    /// <summary>Provider downloads: fresh copies, revalidation, stale-if-error, failed URLs remembered.</summary>
    public RemoteOriginals Remote { get; }

    /// <summary>Embedded covers, frames and downloads, stored once by content.</summary>
    public OriginalStore Originals { get; }

    /// <summary>What ffmpeg derived from media files, per content hash.</summary>
    public DerivedOriginals Derived { get; }

    public RequestCounters Counters { get; } = new();

    /// <summary>Clear and purge, for operators.</summary>
    public CacheAdmin Admin { get; }

    /// <summary>Checks every rendition against its recorded length and checksum.</summary>
    public Verifier Verifier { get; }

    /// <summary>Cache hits not yet written to the index.</summary>
    public AccessTracker Access { get; }

    public Evictor Evictor { get; }

    public IEvictionIndex EvictionIndex => Index.Eviction;

    /// <summary>Removes renditions of deleted sources, orphans either way, and (on request) old or over-size ones.</summary>
    public Cleaner Cleanup { get; }

    /// <summary>Temp files left by an earlier crash and removed at open.</summary>
    public int SweptTempFiles { get; }

    /// <summary>Rows rebuilt from the files because the index was missing or damaged at open.</summary>
    public int RebuiltRenditions { get; }

    public async Task<StatsReport> StatsAsync(CancellationToken cancellationToken) =>
        StatsReport.From(await Index.Stats.SummarizeAsync(cancellationToken).ConfigureAwait(false), Counters.Pending(), Options.Budget.MaxBytes)
            with { NegativesByReason = await Index.Negatives.CountNegativesAsync(cancellationToken).ConfigureAwait(false) };

    /// <summary>Negative entries ordered by item, optionally of one reason, paged.</summary>
    public Task<IReadOnlyList<NegativeEntry>> ListNegativesAsync(FailureReason? reason, int offset, int limit, CancellationToken cancellationToken) =>
        Index.Negatives.ListNegativesAsync(reason, offset, limit, cancellationToken);

    /// <summary>Clears negative entries (all, of one reason, or one item), so they are tried on their next request.</summary>
    public Task<int> ClearNegativesAsync(FailureReason? reason, string? item, CancellationToken cancellationToken) =>
        Service.Negatives.ClearAsync(reason, item, cancellationToken);

    /// <summary>The sources whose renditions took longest to generate.</summary>
    public Task<IReadOnlyList<SlowSource>> SlowestSourcesAsync(int limit, CancellationToken cancellationToken) =>
        Index.Stats.SlowestSourcesAsync(limit, cancellationToken);

    /// <summary>Writes pending access times to the index.</summary>
    public Task FlushAccessAsync(CancellationToken cancellationToken) => Access.FlushAsync(Index.Eviction, cancellationToken);

    /// <summary>Writes pending request counters to the index.</summary>
    public async Task FlushCountersAsync(CancellationToken cancellationToken)
    {
        var taken = Counters.Take();
        try
        {
            await Index.Stats.AddCountersAsync(taken, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Counters.Restore(taken);
            throw;
        }
    }

    /// <summary>Rebuilds the rendition rows from the files on disk.</summary>
    public Task<int> RebuildIndexAsync(CancellationToken cancellationToken) =>
        Index.Maintenance.RebuildRenditionsAsync(Store.Enumerate(), cancellationToken);

    public void Dispose()
    {
        _limiter.Dispose();
        Index.Dispose();
    }
}
