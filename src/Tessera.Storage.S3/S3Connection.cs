using Amazon.Runtime;
using Amazon.S3;
using Tessera.Core.Storage;

namespace Tessera.Storage.S3;

/// <summary>The S3 client for <see cref="StoreOptions"/>: path-style addressing (what S3-compatible servers such as
/// MinIO and s3rver serve), checksums only where S3 requires them (trailing checksums need the chunked upload
/// envelope, which s3rver stores verbatim), credentials from Store:* or the AWS SDK's own chain.</summary>
internal static class S3Connection
{
    public const string DefaultRegion = "us-east-1";

    public static AmazonS3Client Create(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.S3Endpoint ?? throw new ArgumentException("Store:Location is not an s3: location", nameof(options));
        var config = new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = options.Region ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? DefaultRegion,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 2,
            Timeout = TimeSpan.FromSeconds(30),
        };
        return options.AccessKeyId is { } id && options.SecretAccessKey is { } secret
            ? new AmazonS3Client(new BasicAWSCredentials(id, secret), config)
            : new AmazonS3Client(config);
    }
}
