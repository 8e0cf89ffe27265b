namespace Tessera.Core.Index;

/// <summary>Source files' fingerprints: (size, mtime, ctime, inode) stand in for the content hash until any changes.</summary>
public interface IFingerprintIndex
{
    /// <summary>The stored fingerprint of a source file, or null.</summary>
    Task<Fingerprint?> GetFingerprintAsync(string path, CancellationToken cancellationToken);

    /// <summary>The stored fingerprints of many files in one or a few queries; files without one are absent.</summary>
    Task<IReadOnlyDictionary<string, Fingerprint>> GetFingerprintsAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken);

    Task PutFingerprintAsync(Fingerprint fingerprint, CancellationToken cancellationToken);

    /// <summary>Forgets a source file's fingerprint, so its content is hashed again on the next request.</summary>
    Task ForgetFingerprintAsync(string path, CancellationToken cancellationToken);

    /// <summary>Content hashes of the source files under a folder (a library), from their fingerprints.</summary>
    Task<IReadOnlyList<string>> ContentHashesUnderAsync(string folder, CancellationToken cancellationToken);
}

/// <summary>A source file's identity: (size, mtime, ctime, inode) stand in for the content hash until any changes.
/// Ctime and inode are null where the platform does not give them (and in rows written before they were kept).</summary>
public sealed record Fingerprint(string Path, long Size, long MtimeTicks, string ContentHash, long? CtimeNanoseconds = null, long? Inode = null)
{
    /// <summary>True when the file still has the stamp this fingerprint was taken at.</summary>
    public bool Matches(Sources.FileStamp stamp) =>
        Size == stamp.Size && MtimeTicks == stamp.MtimeTicks && CtimeNanoseconds == stamp.CtimeNanoseconds && Inode == stamp.Inode;
}
