using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Tessera.Core.Storage;

namespace Tessera.Storage.S3;

/// <summary>What one GET of a rendition object gave: its bytes, checked whole against the SHA-256 it carries; no
/// object; a store that failed; or an object that is not settled — shorter than its length, without its checksum or
/// not matching it, or a response the SDK could not parse. S3 itself never shows a PUT in progress, but S3-compatible
/// servers may: s3rver answers a PUT before its file is flushed, and a GET meanwhile saw a part of the object (with or
/// without its metadata), a body that failed the SDK's own checksum of the response, or a response without an ETag,
/// which the SDK cannot read. An unsettled read is read again
/// (<see cref="S3RenditionStore"/>) before the object is called damaged, so a reader never deletes a writer's fresh
/// object.</summary>
internal readonly record struct ObjectRead(ObjectReadKind Kind, byte[]? Bytes, string? Detail)
{
    public static async Task<ObjectRead> GetAsync(IAmazonS3 client, string bucket, string name, CancellationToken cancellationToken)
    {
        byte[] bytes;
        string? sha;
        try
        {
            using var response = await client.GetObjectAsync(bucket, name, cancellationToken).ConfigureAwait(false);
            sha = response.Metadata[S3RenditionStore.ShaMeta];
            bytes = new byte[response.ContentLength];
            try
            {
                await response.ResponseStream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException)
            {
                return Unsettled($"shorter than its length {response.ContentLength}", damaged: true);
            }
            catch (Exception e) when (e is AmazonClientException or IOException or HttpRequestException)
            {
                // The body, after a response that found the object: the SDK checks it against the response's checksum
                // as it ends ("Expected hash not equal to calculated hash"), and a server that sent the length of an
                // object whose file was still being written ends the body early. A PUT still landing, most likely:
                // read again; a store that really failed fails that read too, and is answered as a miss then.
                return Unsettled($"its body could not be read whole ({e.Message})", damaged: false);
            }
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return new ObjectRead(ObjectReadKind.Missing, null, null);
        }
        catch (Exception e) when (S3RenditionStore.IsUnparsedResponse(e))
        {
            return Unsettled($"an unreadable response ({e.Message})", damaged: false);
        }
        catch (Exception e) when (S3RenditionStore.IsStoreFailure(e))
        {
            return new ObjectRead(ObjectReadKind.Failed, null, e.Message);
        }

        if (sha is not { Length: 64 })
        {
            return Unsettled(sha is null ? "no checksum in its metadata" : "a malformed checksum in its metadata", damaged: false);
        }

        return VerifiedRead.Mismatch(bytes, null, sha) is { } mismatch
            ? Unsettled(mismatch, damaged: true)
            : new ObjectRead(ObjectReadKind.Whole, bytes, null);
    }

    private static ObjectRead Unsettled(string detail, bool damaged) =>
        new(damaged ? ObjectReadKind.Damaged : ObjectReadKind.Unsettled, null, detail);
}

internal enum ObjectReadKind
{
    /// <summary>The object, whole and matching its checksum.</summary>
    Whole,

    /// <summary>No such object.</summary>
    Missing,

    /// <summary>The store did not answer (down, refused, timed out).</summary>
    Failed,

    /// <summary>Bytes that contradict the object's own length or checksum: damaged, unless a write is still settling.</summary>
    Damaged,

    /// <summary>Neither whole nor provably damaged (no checksum yet, a response the SDK could not parse).</summary>
    Unsettled,
}
