using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Index;
using Tessera.Core.Sources;
using Tessera.Index.Postgres;
using Tessera.Tests.Support;

namespace Tessera.Tests.Sources;

/// <summary>A file's content id under load and when the index fails: a burst of cold requests for one new file reads
/// and hashes it once between them, and an index that cannot be read or written (PostgreSQL out of connections) costs
/// a hash, never the request (it made a placeholder of a good file on one replica). On a real PostgreSQL index, whose
/// calls, unlike SQLite's in-process ones, overlap.</summary>
public sealed class FingerprinterTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly PostgresSchema _schema = new();
    private readonly PostgresDatabase _database;
    private readonly Fingerprinter _fingerprints;

    public FingerprinterTests()
    {
        _database = PostgresDatabase.Open(_schema.ConnectionString, NullLogger.Instance);
        _fingerprints = new Fingerprinter(new PostgresFingerprintIndex(_database), new FingerprintOptions());
    }

    public void Dispose()
    {
        _database.Dispose();
        _schema.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task ABurstForOneNewFile_HashesItOnce_AndEveryCallerGetsItsHash()
    {
        var path = Path.Combine(_dir.Path, "big.bin");
        var content = RandomNumberGenerator.GetBytes(8 << 20);
        await File.WriteAllBytesAsync(path, content);
        var fingerprints = _fingerprints;

        // All under way at once: each call runs up to its first wait for the index before the next is made.
        var all = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => fingerprints.GetAsync(path, CancellationToken.None)).ToList());

        Assert.All(all, f => Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), f.ContentHash));
        Assert.Equal(content.Length, fingerprints.BytesRead);
    }

    [Fact]
    public async Task ACallerThatGivesUp_LeavesTheHashToTheOthers()
    {
        var path = Path.Combine(_dir.Path, "big.bin");
        await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(32 << 20));
        var fingerprints = _fingerprints;

        using var cancelled = new CancellationTokenSource();
        var first = fingerprints.GetAsync(path, cancelled.Token); // starts the look-up (its index read is under way)…
        var second = fingerprints.GetAsync(path, CancellationToken.None);
        await cancelled.CancelAsync(); // …and gives up

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(64, (await second).ContentHash.Length);
        Assert.Equal(32 << 20, fingerprints.BytesRead);
    }

    [Fact]
    public async Task AnIndexThatFails_CostsAHash_NotTheAnswer()
    {
        var path = Path.Combine(_dir.Path, "a.bin");
        var content = RandomNumberGenerator.GetBytes(4096);
        await File.WriteAllBytesAsync(path, content);
        var fingerprints = new Fingerprinter(new Unavailable(), new FingerprintOptions());

        var fingerprint = await fingerprints.GetAsync(path, CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), fingerprint.ContentHash);
        Assert.Equal(content.Length, (await fingerprints.GetAsync(path, CancellationToken.None)).Size); // remembered: no second hash
        Assert.Equal(content.Length, fingerprints.BytesRead);
    }

    /// <summary>An index that is down, as PostgreSQL refusing connections is (53300: too many clients).</summary>
    private sealed class Unavailable : IFingerprintIndex
    {
        public Task<Fingerprint?> GetFingerprintAsync(string path, CancellationToken cancellationToken) => throw Down();

        public Task<IReadOnlyDictionary<string, Fingerprint>> GetFingerprintsAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken) =>
            throw Down();

        public Task PutFingerprintAsync(Fingerprint fingerprint, CancellationToken cancellationToken) => throw Down();

        public Task ForgetFingerprintAsync(string path, CancellationToken cancellationToken) => throw Down();

        public Task<IReadOnlyList<string>> ContentHashesUnderAsync(string folder, CancellationToken cancellationToken) => throw Down();

        private static IndexException Down() => new(IndexFailure.Unavailable, "The index failed: 53300: sorry, too many clients already", null);
    }
}
