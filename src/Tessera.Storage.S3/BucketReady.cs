using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace Tessera.Storage.S3;

/// <summary>Creates the bucket when it is missing, once, before the first request that needs it; a failure (the
/// server not up yet) is tried again by the next request rather than remembered.</summary>
internal sealed class BucketReady(IAmazonS3 client, string bucket, string endpoint, ILogger logger)
{
    private Task? _ready;

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var ready = Volatile.Read(ref _ready);
        if (ready is null || ready.IsFaulted || ready.IsCanceled)
        {
            // Two racing first requests may both create it: creation is idempotent.
            ready = CreateAsync();
            Volatile.Write(ref _ready, ready);
        }

        return ready.WaitAsync(cancellationToken);
    }

    private async Task CreateAsync()
    {
        try
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }).ConfigureAwait(false);
            S3Log.BucketCreated(logger, bucket, endpoint);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Conflict || e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // There already.
        }
    }
}
