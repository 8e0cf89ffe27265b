namespace Tessera.Core.Index;

/// <summary>Source files' fingerprints: (size, mtime) stand in for the content hash until either changes.</summary>
public interface IFingerprintIndex
{
    /// <summary>The stored fingerprint of a source file, or null.</summary>
    Task<Fingerprint?> GetFingerprintAsync(string path, CancellationToken cancellationToken);

    Task PutFingerprintAsync(Fingerprint fingerprint, CancellationToken cancellationToken);

    /// <summary>Forgets a source file's fingerprint, so its content is hashed again on the next request.</summary>
    Task ForgetFingerprintAsync(string path, CancellationToken cancellationToken);

    /// <summary>Content hashes of the source files under a folder (a library), from their fingerprints.</summary>
    Task<IReadOnlyList<string>> ContentHashesUnderAsync(string folder, CancellationToken cancellationToken);
}

/// <summary>A source file's identity: (size, mtime) stand in for the content hash until either changes.</summary>
public sealed record Fingerprint(string Path, long Size, long MtimeTicks, string ContentHash);
