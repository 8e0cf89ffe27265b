using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tessera.Core.Index;

namespace Tessera.Core.Journal;

/// <summary>What the app told Tessera and the files cannot tell again — item registrations, aliases and negative
/// entries — appended to <c>&lt;data&gt;/journal/app.jsonl</c> before the index is written, one fsync'd write per change
/// (or per bulk request). When the index is made new (deleted, or damaged and set aside), the journal is replayed into
/// it, so nothing the app registered is lost with the index. An append-only file rather than periodic backups: a
/// backup loses what came after it, and a registration is rare and small, so the fsync costs nothing that matters.</summary>
public sealed class AppJournal
{
    private readonly Lock _append = new();

    public AppJournal(string dataRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataRoot);
        FolderPath = Path.Combine(dataRoot, "journal");
        FilePath = Path.Combine(FolderPath, "app.jsonl");
    }

    public string FolderPath { get; }

    public string FilePath { get; }

    /// <summary>Appends records as one write and syncs them to disk before returning.</summary>
    public void Append(IEnumerable<JournalRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var text = new StringBuilder();
        foreach (var r in records)
        {
            text.Append(JsonSerializer.Serialize(r, JournalJson.Default.JournalRecord)).Append('\n');
        }

        if (text.Length == 0)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        lock (_append)
        {
            Directory.CreateDirectory(FolderPath);
            // Opened per append (O_APPEND position at the end of what another process wrote), closed at once.
            using var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
    }

    public void Append(JournalRecord record) => Append([record]);

    /// <summary>The journal's size in bytes (0 when there is none).</summary>
    public long Length => File.Exists(FilePath) ? new FileInfo(FilePath).Length : 0;

    /// <summary>The journal's size right after its last compaction (0 when never compacted): a journal of mostly live
    /// state does not shrink by compacting, so the next one waits until it has grown well past this.</summary>
    public long CompactedLength =>
        File.Exists(FilePath + ".compacted") && long.TryParse(File.ReadAllText(FilePath + ".compacted"), out var bytes) ? bytes : 0;

    /// <summary>Rewrites the journal as the state <paramref name="backup"/> streams from the index (one record per
    /// registration, alias and negative entry), so a replay gives the same state from a file that no longer grows
    /// with every change ever made. Records go straight to a temp file (memory stays flat however many there are),
    /// which is fsync'd and renamed over the journal; whatever was appended while the snapshot was read is carried over
    /// after it. Safe only while no other process writes the index (the caller checks): a change journaled before the
    /// snapshot but not yet in the index would be lost.</summary>
    public async Task<CompactResult> CompactAsync(IIndexBackup backup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var before = Length;
        Directory.CreateDirectory(FolderPath);
        var temp = FilePath + ".compact-" + Environment.ProcessId;
        long records;
        try
        {
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                records = await backup.ReadAppDataAsync(new RecordWriter(stream), cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            lock (_append)
            {
                CarryOver(before, temp);
                File.Move(temp, FilePath, overwrite: true);
            }
        }
        finally
        {
            File.Delete(temp); // gone after the rename; left only by a failure
        }

        var result = new CompactResult(before, Length, records);
        File.WriteAllText(FilePath + ".compacted", result.BytesAfter.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return result;
    }

    /// <summary>Writes each record the index streams as one journal line.</summary>
    private sealed class RecordWriter(Stream stream) : IAppDataSink
    {
        public ValueTask ItemAsync(ItemChange change, CancellationToken cancellationToken) => WriteAsync(new JournalRecord(change), cancellationToken);

        public ValueTask NegativeAsync(NegativeEntry entry, CancellationToken cancellationToken) =>
            WriteAsync(new JournalRecord(Negative: entry), cancellationToken);

        private ValueTask WriteAsync(JournalRecord record, CancellationToken cancellationToken) =>
            stream.WriteAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, JournalJson.Default.JournalRecord) + "\n"), cancellationToken);
    }

    private void CarryOver(long from, string temp)
    {
        if (!File.Exists(FilePath) || new FileInfo(FilePath).Length <= from)
        {
            return;
        }

        using var source = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var target = new FileStream(temp, FileMode.Append, FileAccess.Write);
        source.Position = from;
        source.CopyTo(target);
        target.Flush(flushToDisk: true);
    }

    /// <summary>Every record in order. A torn last line (a crash mid-write) is skipped, as is any line that does not parse.</summary>
    public IEnumerable<JournalRecord> Read(Action<int, string>? badLine = null)
    {
        if (!File.Exists(FilePath))
        {
            yield break;
        }

        using var reader = new StreamReader(new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            JournalRecord? record = null;
            try
            {
                record = JsonSerializer.Deserialize(line, JournalJson.Default.JournalRecord);
            }
            catch (JsonException e)
            {
                badLine?.Invoke(number, e.Message);
            }

            if (record is not null)
            {
                yield return record;
            }
        }
    }

    /// <summary>Replays the journal into a new index: item changes in order in one transaction, negative entries as they
    /// stood at the end. Returns what it restored.</summary>
    public async Task<ReplayResult> ReplayAsync(IItemIndex items, INegativeIndex negatives, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(negatives);
        var changes = new List<ItemChange>();
        var negative = new Dictionary<string, NegativeEntry>(StringComparer.Ordinal);
        foreach (var record in Read((line, error) => JournalLog.BadLine(logger, FilePath, line, error)))
        {
            if (record.Item is { } change)
            {
                changes.Add(change);
            }

            if (record.Negative is { } entry)
            {
                negative[entry.Item] = entry;
            }

            if (record.Clear is { } clear)
            {
                foreach (var (key, e) in negative.Where(p => (clear.Reason is null || p.Value.Reason == clear.Reason)
                             && (clear.Item is null || string.Equals(p.Key, clear.Item, StringComparison.Ordinal))).ToList())
                {
                    negative.Remove(key);
                }
            }
        }

        if (changes.Count > 0)
        {
            await items.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
        }

        foreach (var entry in negative.Values)
        {
            await negatives.PutNegativeAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        var result = new ReplayResult(changes.Count, negative.Count);
        if (changes.Count + negative.Count > 0)
        {
            JournalLog.Replayed(logger, result.ItemChanges, result.Negatives, FilePath);
        }

        return result;
    }
}

/// <summary>A compaction: the journal's size before and after, and the records it now holds.</summary>
public sealed record CompactResult(long BytesBefore, long BytesAfter, long Records);

/// <summary>What a replay restored.</summary>
public sealed record ReplayResult(int ItemChanges, int Negatives);
