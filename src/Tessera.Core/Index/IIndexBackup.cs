namespace Tessera.Core.Index;

/// <summary>Online copies of the index, and the app's data as the index holds it (for compacting the journal).</summary>
public interface IIndexBackup
{
    /// <summary>Writes a consistent copy of the index to <paramref name="path"/> (atomically: a temp file renamed into
    /// place) while other processes keep reading and writing it.</summary>
    Task BackupAsync(string path, CancellationToken cancellationToken);

    /// <summary>Every registration and alias (as the item changes that recreate them) and every negative entry, read
    /// in one consistent snapshot.</summary>
    Task<AppData> ReadAppDataAsync(CancellationToken cancellationToken);

    /// <summary>True when another live process has the index open (its writes may be in flight).</summary>
    bool OpenElsewhere { get; }
}

/// <summary>The app's data as the index holds it: what replaying a compacted journal must give back.</summary>
public sealed record AppData(IReadOnlyList<ItemChange> Items, IReadOnlyList<NegativeEntry> Negatives);
