using Tessera.Core.Storage;

namespace Tessera.Tests.Storage;

/// <summary>What every rendition store does, whatever it keeps bytes in: each store's test class is this plus how to
/// make one and how to damage a stored object behind its back.</summary>
public abstract class RenditionStoreContract : IDisposable
{
    protected abstract IRenditionStore Store { get; }

    /// <summary>Replaces the stored bytes of a rendition by others of the same length, as bit rot would.</summary>
    protected abstract Task CorruptAsync(string key, string extension);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    protected static string NewKey() => VerifiedRead.Sha256(Guid.NewGuid().ToByteArray());

    protected static byte[] Bytes(int length, byte seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Write_ThenRead_GivesTheSameBytes()
    {
        var key = NewKey();
        var bytes = Bytes(5000, 1);
        await Store.WriteAsync(key, "webp", bytes, CancellationToken.None);

        Assert.Equal(bytes, await Store.ReadAllAsync(key, "webp", CancellationToken.None));
        Assert.Equal(bytes, Store.ReadAll(key, "webp"));
    }

    [Fact]
    public async Task Exists_IsFalseBeforeTheWrite_AndTrueAfter()
    {
        var key = NewKey();
        Assert.False(await Store.ExistsAsync(key, "webp", CancellationToken.None));
        Assert.False(Store.Exists(key, "webp"));
        Assert.Null(await Store.ReadAllAsync(key, "webp", CancellationToken.None));

        await Store.WriteAsync(key, "webp", Bytes(10, 2), CancellationToken.None);

        Assert.True(await Store.ExistsAsync(key, "webp", CancellationToken.None));
        Assert.True(Store.Exists(key, "webp"));
        Assert.False(await Store.ExistsAsync(key, "jpg", CancellationToken.None));
    }

    [Fact]
    public async Task Delete_RemovesIt_AndDeletingWhatIsGoneIsFine()
    {
        var key = NewKey();
        await Store.WriteAsync(key, "webp", Bytes(100, 3), CancellationToken.None);

        Store.Delete(key, "webp");
        Store.Delete(key, "webp");

        Assert.False(await Store.ExistsAsync(key, "webp", CancellationToken.None));
        Assert.Null(await Store.ReadAllAsync(key, "webp", CancellationToken.None));
    }

    [Fact]
    public async Task Enumerate_ListsEveryStoredRendition_WithItsLength()
    {
        var (a, b) = (NewKey(), NewKey());
        await Store.WriteAsync(a, "webp", Bytes(300, 4), CancellationToken.None);
        await Store.WriteAsync(b, "orig", Bytes(700, 5), CancellationToken.None);

        var listed = Store.Enumerate().ToDictionary(r => (r.Key, r.Extension), r => r.Length);

        Assert.Equal(300, listed[(a, "webp")]);
        Assert.Equal(700, listed[(b, "orig")]);
    }

    [Fact]
    public async Task Overwrite_ReadsTheNewBytes()
    {
        var key = NewKey();
        await Store.WriteAsync(key, "webp", Bytes(400, 6), CancellationToken.None);
        var second = Bytes(450, 7);
        await Store.WriteAsync(key, "webp", second, CancellationToken.None);

        Assert.Equal(second, await Store.ReadAllAsync(key, "webp", CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentWriters_OfOneKey_LeaveItWhole()
    {
        // Content addressing: everyone who writes a key writes the same bytes (one render, however many replicas).
        var key = NewKey();
        var bytes = Bytes(200_000, 10);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.WriteAsync(key, "webp", bytes, CancellationToken.None))));

        Assert.Equal(bytes, await Store.ReadAllAsync(key, "webp", CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentWriters_OfDifferentBytes_NeverLeaveAMix()
    {
        // Not a case Tessera makes, but a store must not serve half of one and half of another: one whole, or a miss
        // (s3rver, unlike S3, can pair one PUT's body with another's metadata; the stored SHA-256 catches it).
        var key = NewKey();
        var payloads = Enumerable.Range(0, 8).Select(i => Bytes(20_000 + i, (byte)(10 + i))).ToList();

        await Task.WhenAll(payloads.Select(p => Task.Run(() => Store.WriteAsync(key, "webp", p, CancellationToken.None))));

        var read = await Store.ReadAllAsync(key, "webp", CancellationToken.None);
        Assert.True(read is null || payloads.Exists(p => p.AsSpan().SequenceEqual(read)), "a mix of concurrent writes was read");
    }

    [Fact]
    public async Task CorruptObject_IsAMiss_OnceTheCheckedReadHasSeenIt()
    {
        var key = NewKey();
        var bytes = Bytes(2000, 20);
        await Store.WriteAsync(key, "webp", bytes, CancellationToken.None);
        await CorruptAsync(key, "webp");

        // What the serving path does: read, check against the recorded length and SHA-256, delete what fails.
        var read = await Store.ReadAllAsync(key, "webp", CancellationToken.None);
        if (read is not null)
        {
            Assert.NotNull(VerifiedRead.Mismatch(read, bytes.Length, VerifiedRead.Sha256(bytes)));
            Store.Delete(key, "webp");
        }

        Assert.Null(await Store.ReadAllAsync(key, "webp", CancellationToken.None));
        Assert.False(await Store.ExistsAsync(key, "webp", CancellationToken.None));
    }
}
