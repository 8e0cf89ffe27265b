using System.Collections.Concurrent;
using System.Security.Cryptography;
using Tessera.Core.Index;

namespace Tessera.Core.Sources;

/// <summary>Content hashes of source files, recomputed only when the file's <see cref="FileStamp"/> changes. An in-memory map sits in
/// front of the index so a cache hit costs one stat and no database read. Files above
/// <see cref="FingerprintOptions.SampleAboveBytes"/> get a <see cref="SampledContentId"/> instead of a full SHA-256.</summary>
public sealed class Fingerprinter(IFingerprintIndex index, FingerprintOptions options)
{
    private const int MemoryLimit = 200_000;
    private readonly ConcurrentDictionary<string, Fingerprint> _memory = new(StringComparer.Ordinal);
    private readonly Cache.SingleFlight<Fingerprint> _lookUps = new();
    private long _bytesRead;

    /// <summary>How many files' fingerprints are kept in memory now.</summary>
    public int Remembered => _memory.Count;

    /// <summary>Bytes of source files read to identify them since start (whole files and samples).</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>The fingerprint of a file as it is now; hashes its content when it is new or has changed.</summary>
    public Task<Fingerprint> GetAsync(string fullPath, CancellationToken cancellationToken) => GetAsync(fullPath, null, cancellationToken);

    /// <summary>As <see cref="GetAsync(string, CancellationToken)"/>, with the stamp the caller just took (null: stat now).</summary>
    public Task<Fingerprint> GetAsync(string fullPath, FileStamp? known, CancellationToken cancellationToken) =>
        GetAsync(fullPath, known, remember: true, cancellationToken);

    /// <summary>As <see cref="GetAsync(string, FileStamp?, CancellationToken)"/>; with <paramref name="remember"/> false the
    /// result is not kept in memory (it is in the index): background work (a warm, a job) visits each file once, and
    /// remembering every file it passed grew a 10,000-file warm's memory by a few MB for nothing. What a user asks for
    /// is remembered, so its next hit costs one stat.</summary>
    public async Task<Fingerprint> GetAsync(string fullPath, FileStamp? known, bool remember, CancellationToken cancellationToken)
    {
        if ((known ?? FileStamp.Of(fullPath)) is not { } stamp)
        {
            throw new FileNotFoundException("source file not found", fullPath);
        }

        if (stamp.Size == 0)
        {
            // FIFOs and devices also report size 0; opening one could block forever.
            throw new Pipeline.ThumbnailException(Pipeline.FailureReason.DecodeFailed, "the source is empty or not a regular file");
        }

        if (_memory.TryGetValue(fullPath, out var remembered) && remembered.Matches(stamp))
        {
            return remembered;
        }

        // Callers that ask for one file as it is now share one look-up: a burst of cold requests for a new file reads its
        // row once and hashes it once (200 requests across three replicas each did both, and took a connection each).
        // The look-up is not cancelled when one caller gives up: the others still need it.
        var flight = $"{fullPath}\n{stamp.Size}:{stamp.MtimeTicks}:{stamp.CtimeNanoseconds}:{stamp.Inode}";
        var stored = await _lookUps.RunAsync(flight, () => LookUpAsync(fullPath, stamp)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!remember)
        {
            return stored;
        }

        if (_memory.Count >= MemoryLimit)
        {
            _memory.Clear();
        }

        _memory[fullPath] = stored;
        return stored;
    }

    /// <summary>The index's row for the file when it still matches, else the file hashed now and its row written. The
    /// index only saves reading the file again: when it cannot be read or written (PostgreSQL out of connections, a full
    /// disk), the hash is computed and served all the same. A row from before ctime and inode were kept has them null:
    /// it is hashed once more, then matches. A row keeps its id while the stamp matches, so a large file hashed whole
    /// before sampled ids existed keeps its full hash (and its renditions) until it changes: upgrading reads nothing again.</summary>
    private async Task<Fingerprint> LookUpAsync(string fullPath, FileStamp stamp)
    {
        Fingerprint? stored;
        try
        {
            stored = await index.GetFingerprintAsync(fullPath, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IndexException)
        {
            stored = null;
        }

        if (stored is not null && stored.Matches(stamp))
        {
            return stored;
        }

        var hash = await IdentifyAsync(fullPath, stamp.Size, CancellationToken.None).ConfigureAwait(false);
        stored = new Fingerprint(fullPath, stamp.Size, stamp.MtimeTicks, hash, stamp.CtimeNanoseconds, stamp.Inode);
        try
        {
            await index.PutFingerprintAsync(stored, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IndexException or IOException)
        {
            // Disk full or a read-only index: the hash is still right; serve on.
        }

        return stored;
    }

    /// <summary>Forgets a file's fingerprint in memory (a purge), so nothing stale outlives its row.</summary>
    public void Forget(string fullPath) => _memory.TryRemove(fullPath, out _);

    /// <summary>Forgets every fingerprint in memory (the index still has them).</summary>
    public void ForgetAll() => _memory.Clear();

    /// <summary>The content id of a file: the SHA-256 of every byte up to the threshold, a sampled id above it.</summary>
    private async Task<string> IdentifyAsync(string path, long size, CancellationToken cancellationToken)
    {
        if (options.SampleAboveBytes is { } above && size > above)
        {
            var (id, read) = await SampledContentId.ComputeAsync(path, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _bytesRead, read);
            return id;
        }

        Interlocked.Add(ref _bytesRead, size);
        return await HashAsync(path, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }
}
