using Tessera.Core.Storage;

namespace Tessera.Core.Configuration;

/// <summary>Store:Location (disk, or s3:ENDPOINT-URL/BUCKET), Store:LocalTier, Store:SharedBudget and the S3 credentials.</summary>
internal static class StoreSettings
{
    public static void Read(SettingReader store, StoreOptions options)
    {
        switch (store.String("Location"))
        {
            case null or "disk":
                break;
            case var location:
                var s3 = StoreOptions.ParseS3(location);
                store.Require(s3 is not null, "Location",
                    $"'{location}' is neither disk nor s3:ENDPOINT-URL/BUCKET (e.g. s3:http://127.0.0.1:9000/tessera; a bucket is 3-63 of a-z, 0-9, '-', '.')");
                (options.S3Endpoint, options.Bucket) = s3!.Value;
                break;
        }

        store.Bool("LocalTier", v => options.LocalTier = v);
        if (store.String("SharedBudget") is "0")
        {
            options.SharedBudgetBytes = 0;
        }
        else
        {
            store.Size("SharedBudget", v => options.SharedBudgetBytes = v);
        }

        options.AccessKeyId = store.String("AccessKeyId");
        options.SecretAccessKey = store.String("SecretAccessKey");
        store.Require((options.AccessKeyId is null) == (options.SecretAccessKey is null), "SecretAccessKey",
            "Store:AccessKeyId and Store:SecretAccessKey go together");
        options.Region = store.String("Region");
    }
}
