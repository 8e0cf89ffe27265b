using Microsoft.Extensions.Configuration;
using Tessera.Core.Configuration;

namespace Tessera.Tests.Configuration;

public sealed class StoreConfigurationTests
{
    private static Tessera.Core.TesseraOptions Read(params (string Key, string Value)[] pairs) =>
        TesseraConfiguration.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Append(("Data", "/tmp/d")).Select(p => new KeyValuePair<string, string?>(p.Item1, p.Item2))).Build());

    [Fact]
    public void ByDefault_RenditionsStayInTheDataFolder()
    {
        var store = Read().Store;
        Assert.False(store.IsS3);
        Assert.True(store.LocalTier);
        Assert.Equal(0, store.SharedBudgetBytes);
    }

    [Theory]
    [InlineData("s3:http://127.0.0.1:54569/tessera", "http://127.0.0.1:54569/", "tessera")]
    [InlineData("s3:https://s3.example.com/my.bucket-1/", "https://s3.example.com/", "my.bucket-1")]
    [InlineData("s3:http://minio:9000/prefix/tessera", "http://minio:9000/prefix/", "tessera")]
    public void StoreLocation_S3_GivesTheEndpointAndBucket(string location, string endpoint, string bucket)
    {
        var store = Read(("Store:Location", location)).Store;
        Assert.Equal((new Uri(endpoint), bucket), (store.S3Endpoint, store.Bucket));
    }

    [Fact]
    public void EveryStoreSetting_CanBeSet()
    {
        var store = Read(("Store:Location", "s3:http://127.0.0.1:9000/tessera"), ("Store:LocalTier", "false"), ("Store:SharedBudget", "50GB"),
            ("Store:AccessKeyId", "id"), ("Store:SecretAccessKey", "secret"), ("Store:Region", "eu-west-1")).Store;
        Assert.Equal((false, 50L << 30, "id", "secret", "eu-west-1"),
            (store.LocalTier, store.SharedBudgetBytes, store.AccessKeyId, store.SecretAccessKey, store.Region));
    }

    [Theory]
    [InlineData("Store:Location", "s3://bucket", "neither disk nor s3:ENDPOINT-URL/BUCKET")]
    [InlineData("Store:Location", "s3:http://127.0.0.1:9000", "neither disk nor s3:ENDPOINT-URL/BUCKET")]
    [InlineData("Store:Location", "s3:http://127.0.0.1:9000/Upper_Case", "neither disk nor s3:ENDPOINT-URL/BUCKET")]
    [InlineData("Store:Location", "s3:ftp://host/bucket", "neither disk nor s3:ENDPOINT-URL/BUCKET")]
    [InlineData("Store:Location", "nfs", "neither disk nor s3:ENDPOINT-URL/BUCKET")]
    [InlineData("Store:SharedBudget", "lots", "not a size")]
    [InlineData("Store:LocalTier", "maybe", "")]
    [InlineData("Store:AccessKeyId", "id", "go together")]
    public void ABadStoreSetting_NamesItsKey(string key, string value, string reason)
    {
        var e = Assert.Throws<TesseraConfigurationException>(() => Read((key, value)));
        Assert.Contains(key == "Store:AccessKeyId" ? "Store:SecretAccessKey" : key, e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}
