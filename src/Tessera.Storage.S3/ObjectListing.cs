using Amazon.S3;
using Amazon.S3.Model;
using Tessera.Core.Storage;

namespace Tessera.Storage.S3;

/// <summary>The bucket's rendition objects, a page (1000 objects) at a time.</summary>
internal static class ObjectListing
{
    public static async IAsyncEnumerable<S3Object> ObjectsAsync(IAmazonS3 client, string bucket,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = S3RenditionStore.Prefix };
        while (true)
        {
            var page = await client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
            {
                yield return o;
            }

            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>The synchronous port's enumeration (index rebuild): objects whose names are rendition keys.</summary>
    public static IEnumerable<StoredRendition> Renditions(IAmazonS3 client, string bucket)
    {
        var objects = ObjectsAsync(client, bucket).GetAsyncEnumerator();
        try
        {
            while (objects.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                if (Parse(objects.Current) is { } rendition)
                {
                    yield return rendition;
                }
            }
        }
        finally
        {
            objects.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>renditions/ab/cd/&lt;key&gt;.&lt;ext&gt; as a rendition, or null for anything else in the bucket.</summary>
    public static StoredRendition? Parse(S3Object o)
    {
        var name = o.Key[(o.Key.LastIndexOf('/') + 1)..];
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !RenditionKeyFormat.IsValid(name[..dot]) || o.Key != S3RenditionStore.ObjectKey(name[..dot], name[(dot + 1)..]))
        {
            return null;
        }

        return new StoredRendition(name[..dot], name[(dot + 1)..], o.Size ?? 0, o.LastModified is { } at ? new DateTimeOffset(at.ToUniversalTime()) : DateTimeOffset.MinValue);
    }
}
