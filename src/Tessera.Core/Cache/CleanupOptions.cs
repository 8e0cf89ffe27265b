namespace Tessera.Core.Cache;

/// <summary>What a cleanup removes beyond the always-on categories (deleted sources, rows without files, files
/// without rows, leftover temp files).</summary>
public sealed record CleanupOptions
{
    /// <summary>Renditions not used for this long are removed; null keeps them.</summary>
    public TimeSpan? OlderThan { get; init; }

    /// <summary>Least recently used renditions are removed until the rest fit; null sets no limit.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>Files without rows and temp files younger than this are kept: a warm or serve in another process
    /// may have just published the file and not yet written its row.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Report what would go, remove nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Collect deleted sources even when most known sources are missing at once.</summary>
    public bool Force { get; init; }

    public void Validate()
    {
        if (OlderThan <= TimeSpan.Zero || MaxBytes < 0 || GracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentException("cleanup needs OlderThan > 0, MaxBytes >= 0 and GracePeriod >= 0");
        }
    }
}

/// <summary>How many of one kind a cleanup removed (or, in a dry run, would remove), and their bytes.</summary>
public sealed record CleanupCount(int Count, long Bytes)
{
    public static readonly CleanupCount None = new(0, 0);

    public CleanupCount Plus(int count, long bytes) => new(Count + count, Bytes + bytes);

    internal CleanupCount Add(IReadOnlyCollection<Index.StoredKey> removed) => Plus(removed.Count, removed.Sum(r => r.Bytes));
}

/// <summary>What a cleanup removed, per category. Rendition bytes are those the index listed, so rows without files
/// count the bytes the index stops reporting, though their disk space was already free.</summary>
public sealed record CleanupResult(
    int Fingerprints,
    CleanupCount DeletedSources,
    CleanupCount RowsWithoutFiles,
    CleanupCount FilesWithoutRows,
    CleanupCount OlderThan,
    CleanupCount OverSize,
    CleanupCount TempFiles)
{
    /// <summary>Missing sources left alone because most of them vanished at once (an unmounted folder?).</summary>
    public int SkippedMissingSources { get; init; }

    /// <summary>Libraries whose folder is missing or unreadable, skipped whole: why, and how many sources were spared.</summary>
    public IReadOnlyList<string> SkippedLibraries { get; init; } = [];

    public int Renditions => DeletedSources.Count + RowsWithoutFiles.Count + FilesWithoutRows.Count + OlderThan.Count + OverSize.Count;

    public long RenditionBytes => DeletedSources.Bytes + RowsWithoutFiles.Bytes + FilesWithoutRows.Bytes + OlderThan.Bytes + OverSize.Bytes;
}
