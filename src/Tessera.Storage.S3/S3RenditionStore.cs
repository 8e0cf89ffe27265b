using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Tessera.Core.Storage;

namespace Tessera.Storage.S3;

/// <summary>Renditions as objects in an S3-compatible bucket, keyed exactly as on disk (renditions/ab/cd/&lt;key&gt;.&lt;ext&gt;).
/// Each object carries its SHA-256 (x-amz-meta-sha256), checked with its length on every read: a damaged object is
/// deleted and read as a miss, never served — once reading it again has shown it is not a write still landing
/// (<see cref="ObjectRead"/>). S3 publishes a PUT whole or not at all, so writes need no temp names;
/// no S3 error type leaves this class (reads miss, writes throw <see cref="IOException"/>).</summary>
public sealed class S3RenditionStore : IRenditionStore, IDisposable
{
    internal const string Prefix = "renditions/";
    internal const string ShaMeta = "x-amz-meta-sha256";

    /// <summary>The pauses before reading again an object that looked damaged or unsettled: about 0.6 s in all, far
    /// longer than any PUT of a rendition takes to land.</summary>
    private static readonly TimeSpan[] Rereads = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(400)];

    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly ILogger _logger;
    private readonly BucketReady _ready;

    public S3RenditionStore(StoreOptions options, ILogger<S3RenditionStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = S3Connection.Create(options);
        _bucket = options.Bucket ?? throw new ArgumentException("Store:Location names no bucket", nameof(options));
        _logger = logger;
        _ready = new BucketReady(_client, _bucket, options.S3Endpoint!.ToString(), logger);
        Budget = new SharedBudget(_client, _bucket, options.SharedBudgetBytes, logger);
    }

    /// <summary>The bucket's own byte budget (Store:SharedBudget).</summary>
    public SharedBudget Budget { get; }

    internal IAmazonS3 Client => _client;

    internal string Bucket => _bucket;

    public static string ObjectKey(string key, string extension)
    {
        RenditionKeyFormat.Check(key);
        return $"{Prefix}{key[..2]}/{key[2..4]}/{key}.{extension}";
    }

    public Stream? OpenRead(string key, string extension) => OpenReadAsync(key, extension, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public async ValueTask<Stream?> OpenReadAsync(string key, string extension, CancellationToken cancellationToken)
    {
        var name = ObjectKey(key, extension);
        try
        {
            await _ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            S3Log.ReadFailed(_logger, name, _bucket, e.Message);
            return null;
        }

        for (var attempt = 0; ; attempt++)
        {
            var read = await ObjectRead.GetAsync(_client, _bucket, name, cancellationToken).ConfigureAwait(false);
            switch (read.Kind)
            {
                case ObjectReadKind.Whole:
                    return new MemoryStream(read.Bytes!, writable: false);
                case ObjectReadKind.Missing:
                    return null;
                case ObjectReadKind.Failed:
                    S3Log.ReadFailed(_logger, name, _bucket, read.Detail!);
                    return null;
            }

            // Damaged or unsettled: a PUT may still be landing (see ObjectRead); read again before judging.
            if (attempt < Rereads.Length)
            {
                await Task.Delay(Rereads[attempt], cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (read.Kind == ObjectReadKind.Damaged)
            {
                return Damaged(name, read.Detail!);
            }

            S3Log.ReadFailed(_logger, name, _bucket, read.Detail!);
            return null; // not provably damaged: left in place, answered as a miss
        }
    }

    public bool Exists(string key, string extension) => ExistsAsync(key, extension, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public async ValueTask<bool> ExistsAsync(string key, string extension, CancellationToken cancellationToken)
    {
        var name = ObjectKey(key, extension);
        try
        {
            await _ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            await _client.GetObjectMetadataAsync(_bucket, name, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception e) when (IsStoreFailure(e) || IsUnparsedResponse(e))
        {
            S3Log.ReadFailed(_logger, name, _bucket, e.Message);
            return false;
        }
    }

    public async Task WriteAsync(string key, string extension, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var name = ObjectKey(key, extension);
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = name,
            InputStream = new MemoryStream(bytes.ToArray(), writable: false),
            UseChunkEncoding = false,
            ContentType = "application/octet-stream",
        };
        request.Metadata[ShaMeta] = VerifiedRead.Sha256(bytes.Span);
        try
        {
            await _ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw new IOException($"could not write {name} to the bucket {_bucket}: {e.Message}", e);
        }

        Budget.Added(bytes.Length);
    }

    public void Delete(string key, string extension) => DeleteObject(ObjectKey(key, extension));

    public IEnumerable<StoredRendition> Enumerate()
    {
        _ready.WaitAsync(CancellationToken.None).GetAwaiter().GetResult();
        return ObjectListing.Renditions(_client, _bucket);
    }

    public void Dispose() => _client.Dispose();

    private Stream? Damaged(string name, string detail)
    {
        S3Log.Corrupt(_logger, name, _bucket, detail);
        DeleteObject(name);
        return null;
    }

    private void DeleteObject(string name)
    {
        try
        {
            _ready.WaitAsync(CancellationToken.None).GetAwaiter().GetResult();
            _client.DeleteObjectAsync(_bucket, name).GetAwaiter().GetResult();
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            S3Log.DeleteFailed(_logger, name, _bucket, e.Message);
        }
    }

    /// <summary>What a network store fails with: the service's answer, the SDK's own errors, the network, a timeout.</summary>
    /// <summary>A response the SDK could not parse (s3rver once sent one without an ETag during a write; see
    /// <see cref="ObjectRead"/>): the read failed, not the caller.</summary>
    internal static bool IsUnparsedResponse(Exception e) => e is ArgumentException or FormatException;

    internal static bool IsStoreFailure(Exception e) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TimeoutException
            or TaskCanceledException { CancellationToken.IsCancellationRequested: false };
}
