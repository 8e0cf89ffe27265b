using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core;
using Tessera.Index.Sqlite;

namespace Tessera.Tests.Support;

/// <summary>A real data folder and a library folder under /tmp, with a TesseraCache opened on them.</summary>
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
        Cache = TesseraCache.Open(Options, NullLoggerFactory.Instance, SqliteIndex.Open);
    }

    public string Library { get; }

    public string Data { get; }

    public TesseraOptions Options { get; }

    public TesseraCache Cache { get; private set; }

    public string Root => _dir.Path;

    /// <summary>Closes and opens the cache again, as a restart would.</summary>
    public TesseraCache Reopen()
    {
        Cache.Dispose();
        Cache = TesseraCache.Open(Options, NullLoggerFactory.Instance, SqliteIndex.Open);
        return Cache;
    }

    public string[] RenditionFiles() => Directory.GetFiles(Path.Combine(Data, "renditions"), "*", SearchOption.AllDirectories);

    public void Dispose()
    {
        Cache.Dispose();
        _dir.Dispose();
    }
}
