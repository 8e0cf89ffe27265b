namespace Tessera.Core.Index;

/// <summary>Online copies of the index, and the app's data as the index holds it (for compacting the journal).</summary>
public interface IIndexBackup
{
    /// <summary>Writes a consistent copy of the index to <paramref name="path"/> (atomically: a temp file renamed into
    /// place) while other processes keep reading and writing it.</summary>
    Task BackupAsync(string path, CancellationToken cancellationToken);

    /// <summary>Streams every registration and alias (as the item changes that recreate them) and every negative entry,
    /// read in one consistent snapshot, to <paramref name="sink"/> one at a time (nothing is held: a million items cost no
    /// more memory than ten). Returns how many were streamed.</summary>
    Task<long> ReadAppDataAsync(IAppDataSink sink, CancellationToken cancellationToken);

    /// <summary>True when another live process has the index open (its writes may be in flight).</summary>
    bool OpenElsewhere { get; }
}

/// <summary>Where the app's data as the index holds it goes, record by record: what replaying a compacted journal must give back.</summary>
public interface IAppDataSink
{
    ValueTask ItemAsync(ItemChange change, CancellationToken cancellationToken);

    ValueTask NegativeAsync(NegativeEntry entry, CancellationToken cancellationToken);
}
