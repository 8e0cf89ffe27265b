using Microsoft.Extensions.DependencyInjection;
using Tessera.Core;
using Tessera.Core.Cache;
using Tessera.Core.Eviction;
using Tessera.Core.Stats;
using Tessera.Core.Storage;
using Tessera.Index.Sqlite;

/// <summary>A data folder opened the way the hosts open it: AddTesseraCore + AddTesseraSqliteIndex, then FolderStartup.</summary>
internal sealed class BenchCache(ServiceProvider services) : IDisposable
{
    public ThumbnailService Service => services.GetRequiredService<ThumbnailService>();

    public Evictor Evictor => services.GetRequiredService<Evictor>();

    public StatsReader Stats => services.GetRequiredService<StatsReader>();

    /// <summary>Options as the benchmark runs them: no memory tier (every hit reads its file), no free-disk eviction, and a
    /// budget far above any folder here so nothing is evicted unless a measurement asks for it.</summary>
    public static TesseraOptions Options(string dir, Action<TesseraOptions>? configure = null)
    {
        var options = new TesseraOptions { DataPath = dir, HotCacheBytes = 0 };
        options.Budget.MinFreeDiskBytes = 0;
        options.Budget.MaxBytes = 1L << 50;
        options.Budget.Interval = TimeSpan.FromHours(1);
        configure?.Invoke(options);
        return options;
    }

    public static async Task<BenchCache> OpenAsync(string dir, Action<TesseraOptions>? configure = null)
    {
#pragma warning disable CA2000 // the returned BenchCache owns the provider
        var provider = new ServiceCollection().AddLogging().AddTesseraCore(Options(dir, configure)).AddTesseraSqliteIndex().BuildServiceProvider();
#pragma warning restore CA2000
        try
        {
            await provider.GetRequiredService<FolderStartup>().RunAsync(CancellationToken.None).ConfigureAwait(false);
            return new BenchCache(provider);
        }
        catch
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public void Dispose() => services.Dispose();
}
