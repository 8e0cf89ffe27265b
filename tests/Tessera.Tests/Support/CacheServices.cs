using Microsoft.Extensions.DependencyInjection;
using Tessera.Core;
using Tessera.Core.Cache;
using Tessera.Core.Eviction;
using Tessera.Core.Index;
using Tessera.Core.Sources;
using Tessera.Core.Sources.Chain;
using Tessera.Core.Stats;
using Tessera.Core.Storage;
using Tessera.Index.Sqlite;

namespace Tessera.Tests.Support;

/// <summary>Tests' window on a composed Tessera (the same AddTesseraCore + AddTesseraSqliteIndex as the hosts):
/// named accessors for the services tests poke at, so a test reads as what it checks.</summary>
public sealed class CacheServices : IDisposable
{
    private readonly IServiceProvider _services;
    private readonly ServiceProvider? _owned;

    public CacheServices(IServiceProvider services, StartupReport? startup = null)
    {
        _services = services;
        _owned = services as ServiceProvider;
        Startup = startup;
    }

    /// <summary>Composes the core and the SQLite index on <paramref name="options"/> and opens the data folder.</summary>
    public static CacheServices Open(TesseraOptions options)
    {
#pragma warning disable CA2000 // the returned object owns the provider
        var provider = new ServiceCollection().AddLogging().AddTesseraCore(options).AddTesseraSqliteIndex().BuildServiceProvider();
#pragma warning restore CA2000
        var report = provider.GetRequiredService<FolderStartup>().RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        return new CacheServices(provider, report);
    }

    public StartupReport? Startup { get; }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public ThumbnailService Service => Get<ThumbnailService>();

    public DiskRenditionStore Store => Get<DiskRenditionStore>();

    public GenerationLimiter Limiter => Get<GenerationLimiter>();

    public Cleaner Cleanup => Get<Cleaner>();

    public AccessTracker Access => Get<AccessTracker>();

    public Evictor Evictor => Get<Evictor>();

    public DataFolder Folder => Get<DataFolder>();

    public IEvictionIndex EvictionIndex => Get<IEvictionIndex>();

    public DerivedOriginals Derived => Get<DerivedOriginals>();

    public NegativeCache Negatives => Get<NegativeCache>();

    public CacheAdmin Admin => Get<CacheAdmin>();

    public IReadOnlyDictionary<string, FolderLibrary> Libraries => Get<IReadOnlyDictionary<string, FolderLibrary>>();

    public int RebuiltRenditions => Startup?.RebuiltRenditions ?? 0;

    public int SweptTempFiles => Startup?.SweptTempFiles ?? 0;

    /// <summary>Every index port, as the DI container holds them.</summary>
    public IndexPorts Index => new(Get<IFingerprintIndex>(), Get<IRenditionIndex>(), Get<IEvictionIndex>(), Get<INegativeIndex>(), Get<IDerivedIndex>(),
        Get<IItemIndex>(), Get<IStatsIndex>(), Get<IIndexMaintenance>(), Get<ICleanupIndex>(), Get<IJobIndex>(), Get<ICatalogIndex>(),
        NoLifetime.Instance);

    public Task<StatsReport> StatsAsync(CancellationToken cancellationToken) => Get<StatsReader>().ReadAsync(cancellationToken);

    public Task<IReadOnlyList<NegativeEntry>> ListNegativesAsync(Tessera.Core.Pipeline.FailureReason? reason, int offset, int limit, CancellationToken cancellationToken) =>
        Get<INegativeIndex>().ListNegativesAsync(reason, offset, limit, cancellationToken);

    public Task<int> ClearNegativesAsync(Tessera.Core.Pipeline.FailureReason? reason, string? item, CancellationToken cancellationToken) =>
        Negatives.ClearAsync(reason, item, cancellationToken);

    public Task<int> RebuildIndexAsync(CancellationToken cancellationToken) =>
        Get<IIndexMaintenance>().RebuildRenditionsAsync(Store.Enumerate(), cancellationToken);

    public Task FlushCountersAsync(CancellationToken cancellationToken) => Get<RequestCounters>().FlushAsync(Get<IStatsIndex>(), cancellationToken);

    public Task FlushAccessAsync(CancellationToken cancellationToken) => Access.FlushAsync(EvictionIndex, cancellationToken);

    public void Dispose() => _owned?.Dispose();

    private sealed class NoLifetime : IDisposable
    {
        public static readonly NoLifetime Instance = new();

        public void Dispose()
        {
        }
    }
}
