using Microsoft.Extensions.Logging;
using Tessera.Core.Index;

namespace Tessera.Core.Storage;

/// <summary>What opening a data folder does once per process, before the first request: sweep temp files an earlier
/// crash left, and rebuild the index's rendition rows from the files when the index was made new (missing, or damaged
/// and set aside). The files are the truth; the index only describes them.</summary>
public sealed class FolderStartup(DataFolder folder, IIndexMaintenance index, IRenditionStore store, ILogger<FolderStartup> logger,
    TesseraOptions? options = null, Journal.AppJournal? journal = null, IIndexBackup? backup = null) : IDisposable
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

            await CompactJournalAsync(cancellationToken).ConfigureAwait(false);
            return (_report = new StartupReport(swept, rebuilt));
        }
        finally
        {
            _once.Release();
        }
    }

    /// <summary>A journal past Journal:CompactAbove (and twice its size after the last compaction) is rewritten from the index, but only when no other process has the
    /// index open: at this point nothing in this process writes it yet, so the index holds everything journaled.</summary>
    private async Task CompactJournalAsync(CancellationToken cancellationToken)
    {
        if (journal is null || backup is null || options is null || journal.Length <= Math.Max(options.JournalCompactAboveBytes, 2 * journal.CompactedLength)
            || backup.OpenElsewhere)
        {
            return;
        }

        try
        {
            var done = await journal.CompactAsync(backup, cancellationToken).ConfigureAwait(false);
            Journal.JournalLog.Compacted(logger, journal.FilePath, done.BytesBefore, done.BytesAfter, done.Records);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexException)
        {
            // The journal as it was is still whole: compaction only replaces it by a rename.
            Journal.JournalLog.CompactFailed(logger, journal.FilePath, e.Message);
        }
    }

    public void Dispose() => _once.Dispose();
}

/// <summary>Temp files swept and rendition rows rebuilt from the files at start.</summary>
public sealed record StartupReport(int SweptTempFiles, int RebuiltRenditions);
