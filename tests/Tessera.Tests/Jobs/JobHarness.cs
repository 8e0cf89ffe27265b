using Microsoft.Extensions.DependencyInjection;
using Tessera.Core;
using Tessera.Core.Index;
using Tessera.Core.Jobs;
using Tessera.Core.Presets;
using Tessera.Core.Storage;
using Tessera.Index.Postgres;
using Tessera.Index.Sqlite;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jobs;

/// <summary>A composed Tessera (core + SQLite index, as the hosts) on a data folder and a library "lib", with one
/// preset ("grid", WebP: one task per item) unless configured otherwise, and optionally a fake clock. Two harnesses
/// on one data folder are two processes' worth of engines sharing one index file.</summary>
internal sealed class JobHarness : IDisposable
{
    private readonly ServiceProvider _provider;

    private JobHarness(ServiceProvider provider) => _provider = provider;

    /// <summary><paramref name="postgres"/>: a PostgreSQL index (a connection string) instead of the data folder's SQLite
    /// file; two harnesses on one schema are two replicas.</summary>
    public static JobHarness Open(string data, string library, TimeProvider? clock = null, Action<TesseraOptions>? configure = null, string? postgres = null)
    {
        var options = new TesseraOptions { DataPath = data };
        options.Libraries["lib"] = library;
        options.Presets.Add(PresetCatalog.Parse("grid=120x120:webp:70"));
        options.Jobs.UnitSize = 5;
        options.Jobs.Concurrency = 2;
        configure?.Invoke(options);
        var services = new ServiceCollection().AddLogging();
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

#pragma warning disable CA2000 // the harness owns the provider
        services.AddTesseraCore(options);
        var provider = (postgres is null ? services.AddTesseraSqliteIndex() : services.AddTesseraPostgresIndex(postgres)).BuildServiceProvider();
#pragma warning restore CA2000
        provider.GetRequiredService<FolderStartup>().RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        return new JobHarness(provider);
    }

    /// <summary>Distinct small PNGs of noise (distinct content, so every one is real work) named 000.png, 001.png, …</summary>
    public static void WriteImages(string folder, int count, int first = 0)
    {
        Directory.CreateDirectory(folder);
        for (var i = first; i < first + count; i++)
        {
            File.WriteAllBytes(Path.Combine(folder, $"{i:000}.png"), NoiseImages.Png(96, 64, seed: i + 1));
        }
    }

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public JobService Jobs => Get<JobService>();

    public IJobIndex Index => Get<IJobIndex>();

    public JobEngine Engine => Get<JobEngine>();

    /// <summary>Runs this harness's engine until the job satisfies <paramref name="until"/> (generous deadline).</summary>
    public async Task<JobView> RunUntilAsync(long id, Func<JobView, bool> until, TimeSpan? timeout = null)
    {
        using var stop = new CancellationTokenSource();
        var engine = Engine.RunAsync(stop.Token);
        try
        {
            return await WaitAsync(id, until, timeout);
        }
        finally
        {
            await stop.CancelAsync();
            await engine;
        }
    }

    public async Task<JobView> WaitAsync(long id, Func<JobView, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (true)
        {
            var view = await Jobs.GetAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"job {id} is gone");
            if (until(view))
            {
                return view;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {id} never got there: {view.Record}");
            await Task.Delay(100);
        }
    }

    public static bool Finished(JobView view) => !JobNames.IsActive(view.Record.Status);

    public void Dispose() => _provider.Dispose();
}
