using Tessera.Core;

namespace Tessera.Tests.Support;

/// <summary>A real data folder and a library folder under /tmp, with Tessera composed on them.</summary>
public sealed class CacheFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public CacheFixture(Action<TesseraOptions>? configure = null)
    {
        Library = _dir.Sub("library");
        Data = Path.Combine(_dir.Path, "data");
        Options = new TesseraOptions { DataPath = Data };
        Options.Libraries["lib"] = Library;
        configure?.Invoke(Options);
        Cache = CacheServices.Open(Options);
    }

    public string Library { get; }

    public string Data { get; }

    public TesseraOptions Options { get; }

    public CacheServices Cache { get; private set; }

    public string Root => _dir.Path;

    /// <summary>Closes and opens the cache again, as a restart would.</summary>
    public CacheServices Reopen()
    {
        Cache.Dispose();
        Cache = CacheServices.Open(Options);
        return Cache;
    }

    public string[] RenditionFiles() => Directory.GetFiles(Path.Combine(Data, "renditions"), "*", SearchOption.AllDirectories);

    public void Dispose()
    {
        Cache.Dispose();
        _dir.Dispose();
    }
}
