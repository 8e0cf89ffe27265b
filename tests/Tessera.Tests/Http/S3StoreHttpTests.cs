using System.Net;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Storage;
using Tessera.Storage.S3;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http;

/// <summary>The server on the S3 store when the bucket misbehaves: a damaged object or an unreachable server is a miss
/// (the thumbnail is generated again), never a 500.</summary>
public sealed class S3StoreHttpTests
{
    private static readonly Uri Thumb = new("/t/lib/thumb/a.jpg", UriKind.Relative);

    [Fact]
    public async Task ADamagedObject_WithNoLocalCopy_IsGeneratedAgain_WithTheSameBytes()
    {
        var store = S3StandIn.Options();
        await using var host = await StartAsync(store);
        using var first = await host.Client.GetAsync(Thumb);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var bytes = await first.Content.ReadAsByteArrayAsync();

        var s3 = host.App.Services.GetRequiredService<S3RenditionStore>();
        var stored = Assert.Single(s3.Enumerate());
        Directory.Delete(Path.Combine(host.Root, "data", "renditions"), recursive: true);
        await DamageAsync(s3, stored);

        using var again = await host.Client.GetAsync(Thumb);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(bytes, await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(bytes, await s3.ReadAllAsync(stored.Key, stored.Extension, CancellationToken.None)); // stored whole again
    }

    [Fact]
    public async Task AnUnreachableS3Server_StillAnswersEveryRequest()
    {
        var store = S3StandIn.Options();
        store.S3Endpoint = new Uri("http://127.0.0.1:9/");
        await using var host = await StartAsync(store);

        for (var i = 0; i < 2; i++)
        {
            using var response = await host.Client.GetAsync(Thumb);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static Task<TesseraHost> StartAsync(StoreOptions store) => TesseraHost.StartAsync(
        root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 640, 480),
        o =>
        {
            o.HotCacheBytes = 1024; // every hit goes to the store
            o.Store.S3Endpoint = store.S3Endpoint;
            o.Store.Bucket = store.Bucket;
            o.Store.AccessKeyId = store.AccessKeyId;
            o.Store.SecretAccessKey = store.SecretAccessKey;
        });

    /// <summary>One byte flipped on the server, the recorded SHA-256 kept.</summary>
    private static async Task DamageAsync(S3RenditionStore s3, StoredRendition stored)
    {
        var name = S3RenditionStore.ObjectKey(stored.Key, stored.Extension);
        using var get = await s3.Client.GetObjectAsync(s3.Bucket, name);
        using var body = new MemoryStream();
        await get.ResponseStream.CopyToAsync(body);
        var bytes = body.ToArray();
        bytes[bytes.Length / 2] ^= 0xff;
        var put = new PutObjectRequest { BucketName = s3.Bucket, Key = name, InputStream = new MemoryStream(bytes), UseChunkEncoding = false };
        put.Metadata[S3RenditionStore.ShaMeta] = get.Metadata[S3RenditionStore.ShaMeta];
        await s3.Client.PutObjectAsync(put);
    }
}
