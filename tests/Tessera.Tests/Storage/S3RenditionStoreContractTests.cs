using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Storage;
using Tessera.Storage.S3;
using Tessera.Tests.Support;

namespace Tessera.Tests.Storage;

/// <summary>The store contract against s3rver (TESSERA_S3), a fresh bucket per test class instance.</summary>
public sealed class S3RenditionStoreContractTests : RenditionStoreContract
{
    private readonly S3RenditionStore _store = new(S3StandIn.Options(), NullLogger<S3RenditionStore>.Instance);

    protected override IRenditionStore Store => _store;

    /// <summary>Other bytes under the object's name, with the SHA-256 it was written with (what rot on the server looks like).</summary>
    protected override async Task CorruptAsync(string key, string extension)
    {
        var name = S3RenditionStore.ObjectKey(key, extension);
        var head = await _store.Client.GetObjectMetadataAsync(_store.Bucket, name);
        using var get = await _store.Client.GetObjectAsync(_store.Bucket, name);
        using var body = new MemoryStream();
        await get.ResponseStream.CopyToAsync(body);
        var bytes = body.ToArray();
        bytes[bytes.Length / 2] ^= 0xff;
        var put = new PutObjectRequest { BucketName = _store.Bucket, Key = name, InputStream = new MemoryStream(bytes), UseChunkEncoding = false };
        put.Metadata[S3RenditionStore.ShaMeta] = head.Metadata[S3RenditionStore.ShaMeta];
        await _store.Client.PutObjectAsync(put);
    }

    [Fact]
    public async Task ObjectKeys_AreTheDiskLayout_AndBytesAreStoredAsWritten()
    {
        var key = NewKey();
        var bytes = Bytes(3000, 30);
        await _store.WriteAsync(key, "webp", bytes, CancellationToken.None);

        // Raw, not through the store: no chunked-upload envelope around the bytes.
        using var get = await _store.Client.GetObjectAsync(_store.Bucket, $"renditions/{key[..2]}/{key[2..4]}/{key}.webp");
        using var body = new MemoryStream();
        await get.ResponseStream.CopyToAsync(body);
        Assert.Equal(bytes, body.ToArray());
        Assert.Equal(VerifiedRead.Sha256(bytes), get.Metadata[S3RenditionStore.ShaMeta]);
    }

    [Fact]
    public async Task CorruptObject_IsDeletedByTheStoreItself_AndReadsAsAMiss()
    {
        var key = NewKey();
        await _store.WriteAsync(key, "webp", Bytes(2000, 31), CancellationToken.None);
        await CorruptAsync(key, "webp");

        Assert.Null(await _store.OpenReadAsync(key, "webp", CancellationToken.None));
        Assert.False(await _store.ExistsAsync(key, "webp", CancellationToken.None));
    }

    [Fact]
    public async Task AnUnreachableServer_IsAMissOnRead_AndAnIOExceptionOnWrite()
    {
        var options = S3StandIn.Options();
        options.S3Endpoint = new Uri("http://127.0.0.1:9/");
        using var down = new S3RenditionStore(options, NullLogger<S3RenditionStore>.Instance);
        var key = NewKey();

        Assert.Null(await down.ReadAllAsync(key, "webp", CancellationToken.None));
        Assert.False(await down.ExistsAsync(key, "webp", CancellationToken.None));
        await Assert.ThrowsAsync<IOException>(() => down.WriteAsync(key, "webp", Bytes(10, 32), CancellationToken.None));
    }

    public override void Dispose()
    {
        _store.Dispose();
        base.Dispose();
    }
}
