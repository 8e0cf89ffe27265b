using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Storage;
using Tessera.Storage.S3;
using Tessera.Tests.Support;

namespace Tessera.Tests.Storage;

/// <summary>The disk as a first tier in front of S3: the contract holds for the pair, and each tier does its part.</summary>
public sealed class TieredRenditionStoreTests : RenditionStoreContract
{
    private readonly TempDir _dir = new();
    private readonly DiskRenditionStore _local;
    private readonly S3RenditionStore _shared = new(S3StandIn.Options(), NullLogger<S3RenditionStore>.Instance);
    private readonly TieredRenditionStore _store;

    public TieredRenditionStoreTests()
    {
        _local = new DiskRenditionStore(DataFolder.Open(_dir.Path));
        _store = new TieredRenditionStore(_local, _shared);
    }

    protected override IRenditionStore Store => _store;

    /// <summary>Both copies rot.</summary>
    protected override async Task CorruptAsync(string key, string extension)
    {
        await _shared.WriteAsync(key, extension, Flip((await _shared.ReadAllAsync(key, extension, CancellationToken.None))!), CancellationToken.None);
        await File.WriteAllBytesAsync(_local.PathOf(key, extension), Flip(await File.ReadAllBytesAsync(_local.PathOf(key, extension))));
    }

    [Fact]
    public async Task Write_GoesToBothTiers()
    {
        var key = NewKey();
        var bytes = Bytes(1000, 40);
        await _store.WriteAsync(key, "webp", bytes, CancellationToken.None);

        Assert.Equal(bytes, await File.ReadAllBytesAsync(_local.PathOf(key, "webp")));
        Assert.Equal(bytes, await _shared.ReadAllAsync(key, "webp", CancellationToken.None));
        Assert.Equal(_local.PathOf(key, "webp"), _store.LocalPath(key, "webp"));
    }

    [Fact]
    public async Task ALocalMiss_IsFetchedFromS3_AndKeptLocally()
    {
        var key = NewKey();
        var bytes = Bytes(1500, 41);
        await _shared.WriteAsync(key, "webp", bytes, CancellationToken.None);
        Assert.False(File.Exists(_local.PathOf(key, "webp")));
        Assert.True(await _store.ExistsAsync(key, "webp", CancellationToken.None));

        Assert.Equal(bytes, await _store.ReadAllAsync(key, "webp", CancellationToken.None));

        Assert.Equal(bytes, await File.ReadAllBytesAsync(_local.PathOf(key, "webp")));
    }

    [Fact]
    public async Task ALocalCopy_IsReadWithoutAskingS3()
    {
        var key = NewKey();
        var bytes = Bytes(800, 42);
        await _store.WriteAsync(key, "webp", bytes, CancellationToken.None);
        _shared.Delete(key, "webp");

        Assert.Equal(bytes, await _store.ReadAllAsync(key, "webp", CancellationToken.None));
    }

    [Fact]
    public async Task Delete_RemovesBothCopies()
    {
        var key = NewKey();
        await _store.WriteAsync(key, "webp", Bytes(100, 43), CancellationToken.None);

        _store.Delete(key, "webp");

        Assert.False(File.Exists(_local.PathOf(key, "webp")));
        Assert.False(await _shared.ExistsAsync(key, "webp", CancellationToken.None));
    }

    private static byte[] Flip(byte[] bytes)
    {
        bytes[bytes.Length / 2] ^= 0xff;
        return bytes;
    }

    public override void Dispose()
    {
        _shared.Dispose();
        _dir.Dispose();
        base.Dispose();
    }
}
