using Microsoft.Extensions.Logging;
using Tessera.Core.Index;

namespace Tessera.Core.Storage;

/// <summary>What opening a data folder does once per process, before the first request: sweep temp files an earlier
/// crash left, and rebuild the index's rendition rows from the files when the index was made new (missing, or damaged
/// and set aside). The files are the truth; the index only describes them.</summary>
public sealed class FolderStartup(DataFolder folder, IIndexMaintenance index, IRenditionStore store, ILogger<FolderStartup> logger) : IDisposable
{
    private readonly SemaphoreSlim _once = new(1, 1);
    private StartupReport? _report;

    public async Task<StartupReport> RunAsync(CancellationToken cancellationToken)
    {
        await _once.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_report is { } done)
            {
                return done;
            }

            var swept = folder.SweepTemp();
            var rebuilt = 0;
            if (index.CreatedNew)
            {
                rebuilt = await index.RebuildRenditionsAsync(store.Enumerate(), cancellationToken).ConfigureAwait(false);
                if (rebuilt > 0)
                {
                    CoreLog.IndexRebuilt(logger, rebuilt, folder.RenditionsPath);
                }
            }

            return (_report = new StartupReport(swept, rebuilt));
        }
        finally
        {
            _once.Release();
        }
    }

    public void Dispose() => _once.Dispose();
}

/// <summary>Temp files swept and rendition rows rebuilt from the files at start.</summary>
public sealed record StartupReport(int SweptTempFiles, int RebuiltRenditions);
