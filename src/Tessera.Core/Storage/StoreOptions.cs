namespace Tessera.Core.Storage;

/// <summary>Where renditions live (Store:*): the data folder's disk store (the default), or an S3-compatible bucket
/// (Store:Location = s3:ENDPOINT-URL/BUCKET) with this machine's disk as a first tier in front of it.</summary>
public sealed class StoreOptions
{
    public const string S3Prefix = "s3:";

    /// <summary>The S3 endpoint (path-style), or null for the disk store alone.</summary>
    public Uri? S3Endpoint { get; set; }

    public string? Bucket { get; set; }

    /// <summary>Store:LocalTier: keep a copy of what is read or written on this machine's disk (within Cache:MaxSize).</summary>
    public bool LocalTier { get; set; } = true;

    /// <summary>Store:SharedBudget: the bucket's own byte budget; the oldest objects go past it. 0: no limit.</summary>
    public long SharedBudgetBytes { get; set; }

    /// <summary>Store:AccessKeyId and Store:SecretAccessKey; when unset, the AWS SDK's own chain (AWS_ACCESS_KEY_ID,
    /// AWS_SECRET_ACCESS_KEY, ~/.aws/credentials).</summary>
    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    /// <summary>Store:Region; when unset, AWS_REGION, else us-east-1 (what S3-compatible servers expect in signatures).</summary>
    public string? Region { get; set; }

    public bool IsS3 => S3Endpoint is not null;

    /// <summary>Parses s3:http(s)://HOST[:PORT][/PATH]/BUCKET; null when <paramref name="location"/> is not that.</summary>
    public static (Uri Endpoint, string Bucket)? ParseS3(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!location.StartsWith(S3Prefix, StringComparison.OrdinalIgnoreCase)
            || !Uri.TryCreate(location[S3Prefix.Length..], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            return null;
        }

        var path = url.AbsolutePath.TrimEnd('/');
        var slash = path.LastIndexOf('/');
        var bucket = path[(slash + 1)..];
        if (!IsBucketName(bucket))
        {
            return null;
        }

        return (new Uri(url.GetLeftPart(UriPartial.Authority) + path[..slash] + "/"), bucket);
    }

    /// <summary>S3's bucket rules: 3–63 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.</summary>
    public static bool IsBucketName(string name) =>
        name.Length is >= 3 and <= 63 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);
}
