using Tessera.Core.Storage;

namespace Tessera.Tests.Support;

/// <summary>The S3 stand-in the tests talk to: s3rver on loopback, started by ./test (scripts/test-s3rver), which exports
/// its endpoint as TESSERA_S3. Without it, a test that needs S3 fails saying how to get one; it never passes silently.</summary>
internal static class S3StandIn
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    public static Uri Endpoint =>
        Environment.GetEnvironmentVariable("TESSERA_S3") is { Length: > 0 } url
            ? new Uri(url.TrimEnd('/') + "/")
            : throw new InvalidOperationException(
                "TESSERA_S3 is not set: this test needs an S3-compatible server. Run ./test (it starts s3rver), or " +
                "`export TESSERA_S3=$(scripts/test-s3rver start)` before dotnet test.");

    /// <summary>A bucket name no other test uses.</summary>
    public static string NewBucket() => "t-" + Guid.NewGuid().ToString("N")[..24];

    /// <summary>Options for a fresh bucket on the stand-in, with its credentials.</summary>
    public static StoreOptions Options(string? bucket = null, long sharedBudget = 0) => new()
    {
        S3Endpoint = Endpoint,
        Bucket = bucket ?? NewBucket(),
        AccessKeyId = AccessKey,
        SecretAccessKey = SecretKey,
        SharedBudgetBytes = sharedBudget,
    };

    /// <summary>The --store value for a fresh bucket.</summary>
    public static string Location(string bucket) => $"s3:{Endpoint}{bucket}";
}
