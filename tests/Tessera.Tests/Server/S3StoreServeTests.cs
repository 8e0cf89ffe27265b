using System.Net;
using System.Text.Json;
using Tessera.Tests.Support;

namespace Tessera.Tests.Server;

/// <summary>A real `tessera serve --store s3:…` against s3rver (TESSERA_S3): renditions outlive the data folder's copies.</summary>
[Collection(Serial.Name)]
public sealed class S3StoreServeTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task AThumbnail_WhoseLocalCopyIsWiped_IsServedFromS3AfterARestart_WithIdenticalBytesAndETag()
    {
        var library = _dir.Sub("lib");
        Images.WriteSolidJpeg(Path.Combine(library, "a.jpg"), 900, 600);
        var data = Path.Combine(_dir.Path, "data");
        var bucket = S3StandIn.NewBucket();
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = S3StandIn.AccessKey, // the standard variables, not Store:* keys
            ["AWS_SECRET_ACCESS_KEY"] = S3StandIn.SecretKey,
            ["AWS_REGION"] = "us-east-1",
        };
        string[] args = ["--data", data, "--library", $"lib={library}", "--store", S3StandIn.Location(bucket), "--api-key", Http.TesseraHost.AdminKey];
        var url = new Uri("/t/lib/thumb/a.jpg", UriKind.Relative);

        byte[] first;
        string etag;
        await using (var serve = await ServeProcess.StartAsync(environment, args))
        {
            using var response = await serve.Client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, serve.Output);
            first = await response.Content.ReadAsByteArrayAsync();
            etag = response.Headers.ETag!.Tag;
            Assert.Equal(0, await serve.StopAsync());
        }

        var renditions = Path.Combine(data, "renditions");
        Assert.NotEmpty(Directory.EnumerateFiles(renditions, "*.webp", SearchOption.AllDirectories));
        Directory.Delete(renditions, recursive: true);

        await using (var again = await ServeProcess.StartAsync(environment, args))
        {
            var before = await CountersAsync(again);
            using var response = await again.Client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, again.Output);
            Assert.Equal(first, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, response.Headers.ETag!.Tag);
            var after = await CountersAsync(again);
            Assert.Equal(before.Misses, after.Misses); // not generated again: a hit, from the bucket
            Assert.Equal(before.Hits + 1, after.Hits);
            Assert.Single(Directory.EnumerateFiles(renditions, "*.webp", SearchOption.AllDirectories)); // and kept locally again
            Assert.Equal(0, await again.StopAsync());
        }
    }

    private static async Task<(long Hits, long Misses)> CountersAsync(ServeProcess serve)
    {
        using var stats = JsonDocument.Parse(await serve.Client.GetStringAsync(new Uri("/api/stats", UriKind.Relative)));
        return (stats.RootElement.GetProperty("hits").GetInt64(), stats.RootElement.GetProperty("misses").GetInt64());
    }

    public void Dispose() => _dir.Dispose();
}
