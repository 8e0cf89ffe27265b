using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Tessera.Core.Cache;
using Tessera.Core.Catalog;
using Tessera.Core.Configuration;
using Tessera.Core.Eviction;
using Tessera.Core.Health;
using Tessera.Core.Items;
using Tessera.Core.Jobs;
using Tessera.Core.Pipeline;
using Tessera.Core.Remote;
using Tessera.Core.Signing;
using Tessera.Core.Sources;
using Tessera.Core.Sources.Chain;
using Tessera.Core.Stats;
using Tessera.Core.Storage;

namespace Tessera.Core;

/// <summary>Registers Tessera's core: every service the server, the CLI and an embedding app use, each with TryAdd so a
/// host can replace one by registering it first. The index is not here: add one (<c>AddTesseraSqliteIndex()</c>).</summary>
public static class TesseraServiceCollectionExtensions
{
    /// <summary>Reads the options from configuration (see the README's table; a bad value throws
    /// <see cref="TesseraConfigurationException"/> naming the key) and registers the core.</summary>
    public static IServiceCollection AddTesseraCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.Register(TesseraConfiguration.Read(configuration));
    }

    /// <summary>Registers the core with options built in code (validated here, unless configuration reading already did).</summary>
    public static IServiceCollection AddTesseraCore(this IServiceCollection services, TesseraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsValidated)
        {
            options.Validate();
        }

        return services.Register(options);
    }

    private static IServiceCollection Register(this IServiceCollection services, TesseraOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(options);
        services.TryAddSingleton(options.Budget);
        services.TryAddSingleton(options.Pipeline);
        services.TryAddSingleton(options.Ffmpeg);
        services.TryAddSingleton(options.Fingerprints);
        services.TryAddSingleton(options.Remote);
        services.TryAddSingleton(options.RemoteCache);
        services.TryAddSingleton(options.Negative);
        services.TryAddSingleton(TimeProvider.System);

        // Storage: the data folder, its renditions and the originals stored beside them.
        services.TryAddSingleton(_ => DataFolder.Open(options.DataPath));
        services.TryAddSingleton<DiskRenditionStore>();
        services.TryAddSingleton<IRenditionStore>(sp => sp.GetRequiredService<DiskRenditionStore>());
        services.TryAddSingleton<FolderStartup>();
        services.TryAddSingleton(sp => new Journal.AppJournal(sp.GetRequiredService<DataFolder>().Root));
        services.TryAddSingleton<OriginalStore>();
        services.TryAddSingleton<AccessTracker>();

        // What is served: presets, folder libraries, items, signed URLs.
        services.TryAddSingleton(options.BuildPresetCatalog());
        services.TryAddSingleton<IReadOnlyDictionary<string, FolderLibrary>>(
            options.Libraries.ToDictionary(kv => kv.Key, kv => new FolderLibrary(kv.Key, kv.Value), StringComparer.Ordinal));
        services.TryAddSingleton<Redaction.LibraryPaths>();
        services.TryAddSingleton<ItemRegistry>();
        services.TryAddSingleton<ItemResolver>();
        services.TryAddSingleton<Manifest.ManifestResolver>();
        services.TryAddSingleton(_ => new UrlSigner(options.SigningKeys));

        // Sources: fingerprints, ffmpeg, sidecars, provider downloads (the HTTP stack is built on first use).
        services.TryAddSingleton<Fingerprinter>();
        services.TryAddSingleton(_ => new FfmpegExtractor(options.Ffmpeg));
        services.TryAddSingleton(_ => new SidecarFinder(options.SidecarNames));
        services.TryAddSingleton<DerivedOriginals>();
        services.AddTesseraRemoteHttp(options.Remote);
        services.TryAddSingleton(sp => new RemoteFetcher(sp.GetRequiredService<IHttpClientFactory>(), options.Remote,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RemoteFetcher>>(), ProviderHeaders.Credentials(options)));
        services.TryAddSingleton(sp => new Lazy<RemoteFetcher>(sp.GetRequiredService<RemoteFetcher>));
        services.TryAddSingleton<RemoteOriginals>();

        // Catalogs (each a registered CatalogSource): their images on a stack pinned to their origins, built on first use.
        services.TryAddSingleton(sp => new CatalogSources(sp.GetServices<CatalogSource>()));
        services.TryAddSingleton<CatalogImages>();
        services.TryAddSingleton<CatalogNotifier>();
        services.TryAddSingleton(sp =>
        {
            var remote = sp.GetRequiredService<RemoteOriginals>();
            var catalogs = new Lazy<CatalogImages>(sp.GetRequiredService<CatalogImages>);
            return new SourcePlanner(sp.GetRequiredService<Fingerprinter>(), sp.GetRequiredService<DerivedOriginals>(),
                sp.GetRequiredService<FfmpegExtractor>(), sp.GetRequiredService<SidecarFinder>(), url => new RemoteStep(url, remote),
                url => catalogs.Value.Step(url));
        });

        // The request path: pipeline, limits, memory, negatives, the service itself.
        services.TryAddSingleton(sp =>
        {
            Engine.EngineLog.Attach(sp.GetService<ILoggerFactory>()); // libvips' warnings go to this host's log
            return new Thumbnailer(options.Pipeline, sp.GetRequiredService<GenerationLimiter>(), sp.GetRequiredService<RenderWorker>());
        });
        services.TryAddSingleton(sp => new RenderWorker(options.Pipeline.WorkerPath, sp.GetRequiredService<ILogger<RenderWorker>>()));
        services.TryAddSingleton<Placeholders>();
        services.TryAddSingleton(_ => new GenerationLimiter(options.MaxConcurrentEncodes, options.MaxQueuedEncodes,
            options.EncodeMemoryBudget, options.MaxQueueWait, options.Pipeline.Clock, options.JobEncodeShare));
        services.TryAddSingleton(_ => new HotCache(options.HotCacheBytes));
        services.TryAddSingleton<NegativeCache>();
        services.TryAddSingleton<SizeGuard>();
        // Resolved when first used, so an index added after the core (PostgreSQL) brings its leases; none: one process.
        services.TryAddSingleton(sp => new RenditionLeasing(sp.GetService<Index.IRenditionLeases>() ?? Index.LocalRenditionLeases.Instance,
            options.Leases, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RenditionLeasing>>()));
        services.TryAddSingleton<ThumbnailService>();

        // Operations: counters and metrics, stats, health, eviction, cleanup, verification, warming.
        services.TryAddSingleton(sp => new TesseraMetrics(sp.GetRequiredService<GenerationLimiter>(), sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<RequestCounters>();
        services.TryAddSingleton<StatsReader>();
        services.TryAddSingleton<HealthChecker>();
        // Eviction keeps this machine's disk within its budget: with a shared tier (S3) in front of it, only local copies go.
        services.TryAddSingleton(sp => new Evictor(sp.GetRequiredService<Index.IEvictionIndex>(), sp.GetRequiredService<DiskRenditionStore>(),
            sp.GetRequiredService<HotCache>(), sp.GetRequiredService<AccessTracker>(), sp.GetRequiredService<RequestCounters>(), options.Budget,
            sp.GetRequiredService<DataFolder>().Root, sp.GetService<ILogger<Evictor>>()));
        services.TryAddSingleton<CacheAdmin>();
        services.TryAddSingleton<Index.IInvalidationBus, LocalInvalidationBus>(); // a shared index replaces it
        services.TryAddSingleton<InvalidationHandler>();
        services.TryAddSingleton<ItemPurger>();
        services.TryAddSingleton<Cleaner>();
        services.TryAddSingleton<Verifier>();

        // Background jobs: kinds, the engine that runs them, the service hosts use, the triggers.
        services.TryAddSingleton(options.Jobs);
        services.TryAddSingleton<TaskRunner>();
        services.TryAddSingleton<WarmKind>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobKind, WarmKind>(sp => sp.GetRequiredService<WarmKind>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobKind, PreloadKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobKind, CleanupKind>());
        services.TryAddSingleton<JobKinds>();
        services.TryAddSingleton<JobSignals>();
        services.TryAddSingleton<JobRates>();
        services.TryAddSingleton<UnitWorker>();
        services.TryAddSingleton<JobCoordinator>();
        services.TryAddSingleton<JobEngine>();
        services.TryAddSingleton<JobService>();
        services.TryAddSingleton<IJobService>(sp => sp.GetRequiredService<JobService>());
        services.TryAddSingleton<JobTriggers>();
        services.TryAddSingleton<LibraryWatcher>();
        services.AddCatalogs(options);
        return services;
    }

    /// <summary>Catalogs: their upstreams, the sync (a job kind when any catalog is configured), webhook changes, the
    /// poll triggers. The catalog index comes with the index (<c>AddTesseraSqliteIndex()</c>).</summary>
    private static void AddCatalogs(this IServiceCollection services, TesseraOptions options)
    {
        services.TryAddSingleton<IReadOnlyDictionary<string, Catalog.CatalogOptions>>(options.Catalogs);
        services.TryAddSingleton<Catalog.UpstreamFactory>(sp => catalog => Catalog.UpstreamFactories.Create(catalog, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        foreach (var catalog in options.Catalogs.Values)
        {
            services.AddSingleton(sp => new CatalogSource(catalog.Name, catalog.Url!, sp.GetRequiredService<Catalog.UpstreamFactory>()(catalog), catalog.Public));
        }

        services.TryAddSingleton<Catalog.CatalogProgress>();
        services.TryAddSingleton(sp => new Catalog.CatalogWarm(new Lazy<IJobService>(sp.GetRequiredService<IJobService>), sp.GetRequiredService<ILogger<Catalog.CatalogWarm>>()));
        services.TryAddSingleton<Catalog.CatalogSync>();
        services.TryAddSingleton<Catalog.CatalogTriggers>();
        services.TryAddSingleton<Catalog.CatalogSubscriptions>();
        if (options.Catalogs.Count > 0)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobKind, Catalog.CatalogSyncKind>());
        }
    }
}
