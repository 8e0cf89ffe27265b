using Microsoft.Extensions.DependencyInjection;
using Tessera.Core;
using Tessera.Core.Catalog;
using Tessera.Core.Index;
using Tessera.Core.Jobs;
using Tessera.Core.Storage;
using Tessera.Index.Sqlite;

namespace Tessera.Tests.Catalog;

/// <summary>A composed Tessera (core + SQLite index, as the hosts) with one catalog "lib" whose upstream is a Stash
/// adapter on the stand-in or a <see cref="ScriptedUpstream"/>, and optionally a fake clock.</summary>
internal sealed class CatalogHarness : IDisposable
{
    public const string Name = "lib";
    private readonly ServiceProvider _provider;

    private CatalogHarness(ServiceProvider provider) => _provider = provider;

    public static CatalogHarness Open(string data, IUpstream upstream, TimeProvider? clock = null, int perPage = 10)
    {
        var options = new TesseraOptions { DataPath = data };
        options.Catalogs[Name] = new CatalogOptions { Name = Name, Url = new Uri("http://upstream.invalid/"), PerPage = perPage };
        options.Jobs.LeaseTime = TimeSpan.FromSeconds(2);
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<UpstreamFactory>(_ => _ => upstream);
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

#pragma warning disable CA2000 // the harness owns the provider
        var provider = services.AddTesseraCore(options).AddTesseraSqliteIndex().BuildServiceProvider();
#pragma warning restore CA2000
        provider.GetRequiredService<FolderStartup>().RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        return new CatalogHarness(provider);
    }

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public CatalogSync Sync => Get<CatalogSync>();

    public ICatalogIndex Index => Get<ICatalogIndex>();

    public Task<CatalogSyncResult> SyncAsync(string type, CatalogSyncMode mode) => Sync.SyncAsync(Name, type, mode, CancellationToken.None);

    public Task<long> LiveAsync(string type) => Index.CountLiveAsync(Name, type, CancellationToken.None);

    public async Task<CatalogWatermark> WatermarkAsync(string type) =>
        await Index.GetWatermarkAsync(Name, type, CancellationToken.None) ?? throw new InvalidOperationException($"no watermark for {type}");

    public JobService Jobs => Get<JobService>();

    public void Dispose() => _provider.Dispose();
}
