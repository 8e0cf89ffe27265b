using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http;

public sealed class AdminTests
{
    private const string Key = "s3cret-admin-key";

    private static Task<TesseraHost> StartAsync(string? key) => TesseraHost.StartAsync(root =>
    {
        Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 800, 600);
        Images.WriteSolidJpeg(Path.Combine(root, "lib", "b.jpg"), 600, 800, 1, 2, 3);
        Directory.CreateDirectory(Path.Combine(root, "other"));
        Images.WriteSolidJpeg(Path.Combine(root, "other", "c.jpg"), 500, 500, 9, 9, 9);
    }, o =>
    {
        o.AdminApiKey = key;
        o.Libraries["other"] = Path.Combine(Path.GetDirectoryName(o.DataPath)!, "other");
    });

    private static async Task<string> Cache(TesseraHost host, string url)
    {
        using var response = await host.Client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return HttpAssert.Header(response, "X-Tessera-Cache")!;
    }

    private static HttpRequestMessage Admin(HttpMethod method, string url, string? key)
    {
        var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return request;
    }

    [Fact]
    public async Task AdminEndpoints_AreDisabledWithoutAConfiguredKey()
    {
        await using var host = await StartAsync(null);
        using var response = await host.Client.SendAsync(Admin(HttpMethod.Post, "/api/cache/clear", "anything"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("disabled", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingOrWrongKey_Is401_AndClearsNothing()
    {
        await using var host = await StartAsync(Key);
        await Cache(host, "/t/lib/grid/a.jpg");
        foreach (var key in new[] { null, "wrong", Key + "x", "" })
        {
            using var response = await host.Client.SendAsync(Admin(HttpMethod.Post, "/api/cache/clear", key));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal("hit", await Cache(host, "/t/lib/grid/a.jpg"));
    }

    [Fact]
    public async Task Clear_ByPreset_ByLibrary_AndAll()
    {
        await using var host = await StartAsync(Key);
        foreach (var url in new[] { "/t/lib/grid/a.jpg", "/t/lib/thumb/a.jpg", "/t/lib/grid/b.jpg", "/t/other/grid/c.jpg" })
        {
            await Cache(host, url);
        }

        Assert.Equal(1, await ClearAsync(host, "?preset=thumb"));
        Assert.Equal("miss", await Cache(host, "/t/lib/thumb/a.jpg"));
        Assert.Equal("hit", await Cache(host, "/t/lib/grid/a.jpg"));

        Assert.Equal(1, await ClearAsync(host, "?library=other"));
        Assert.Equal("miss", await Cache(host, "/t/other/grid/c.jpg"));
        Assert.Equal("hit", await Cache(host, "/t/lib/grid/b.jpg"));

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/cache/clear", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var all = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(host.Root, "data", "renditions"), "*", SearchOption.AllDirectories));
        Assert.Equal(0, (await host.Cache.StatsAsync(default)).Renditions);
    }

    [Fact]
    public async Task PurgeItem_RemovesThatItemsRenditionsOnly()
    {
        await using var host = await StartAsync(Key);
        await Cache(host, "/t/lib/grid/a.jpg");
        await Cache(host, "/t/lib/detail/a.jpg");
        await Cache(host, "/t/lib/grid/b.jpg");

        using var purge = await host.Client.SendAsync(Admin(HttpMethod.Delete, "/api/files/lib/a.jpg", Key));
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        using var json = JsonDocument.Parse(await purge.Content.ReadAsStringAsync());
        Assert.Equal(2, json.RootElement.GetProperty("renditions").GetInt32());
        Assert.Equal("miss", await Cache(host, "/t/lib/grid/a.jpg"));
        Assert.Equal("hit", await Cache(host, "/t/lib/grid/b.jpg"));

        using var missing = await host.Client.SendAsync(Admin(HttpMethod.Delete, "/api/files/nolib/a.jpg", Key));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var invalid = await host.Client.SendAsync(Admin(HttpMethod.Delete, "/api/files/lib/x%5Ca.jpg", Key));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task TheOlderPathPurgeRoute_StillPurgesFiles_AtTheTopAndInSubfolders()
    {
        await using var host = await StartAsync(Key);
        Directory.CreateDirectory(Path.Combine(host.LibraryPath, "sub"));
        File.Copy(Path.Combine(host.LibraryPath, "b.jpg"), Path.Combine(host.LibraryPath, "sub", "c.jpg"));
        await Cache(host, "/t/lib/grid/a.jpg");
        await Cache(host, "/t/lib/grid/sub/c.jpg");

        using var top = await host.Client.SendAsync(Admin(HttpMethod.Delete, "/api/items/lib/a.jpg", Key));
        Assert.Equal(HttpStatusCode.OK, top.StatusCode);
        using (var json = JsonDocument.Parse(await top.Content.ReadAsStringAsync()))
        {
            Assert.Equal(1, json.RootElement.GetProperty("renditions").GetInt32());
        }

        using var nested = await host.Client.SendAsync(Admin(HttpMethod.Delete, "/api/items/lib/sub/c.jpg", Key));
        Assert.Equal(HttpStatusCode.OK, nested.StatusCode);
        Assert.Equal("miss", await Cache(host, "/t/lib/grid/a.jpg"));
        Assert.Equal("miss", await Cache(host, "/t/lib/grid/sub/c.jpg"));
    }

    [Fact]
    public async Task PurgeOfAFileAlreadyDeleted_RemovesItsRenditions_AndItsFingerprintInMemory_SoCleanupKeepsAReplacement()
    {
        await using var host = await StartAsync(Key);
        await Cache(host, "/t/lib/grid/a.jpg");
        await Cache(host, "/t/lib/detail/a.jpg");
        var a = Path.Combine(host.LibraryPath, "a.jpg");
        var away = Path.Combine(host.Root, "a.jpg.away");
        File.Move(a, away);

        using var purge = await host.Client.SendAsync(Admin(HttpMethod.Delete, "/api/files/lib/a.jpg", Key));
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        using var json = JsonDocument.Parse(await purge.Content.ReadAsStringAsync());
        Assert.Equal(2, json.RootElement.GetProperty("renditions").GetInt32());

        // The same file comes back (same size and mtime): had its fingerprint stayed in memory, the request would not
        // write it to the index again, and the next cleanup would take the new rendition for an orphan.
        File.Move(away, a);
        Assert.Equal("miss", await Cache(host, "/t/lib/grid/a.jpg"));
        Assert.NotNull(await host.Cache.Get<Tessera.Core.Index.IFingerprintIndex>().GetFingerprintAsync(a, default));
    }

    [Fact]
    public async Task ContentRoute_WithTheWrongExtension_Is404_NotOneFormatLabelledAsAnother()
    {
        await using var host = await StartAsync(Key);
        using var first = await host.Client.GetAsync(new Uri("/t/lib/grid/a.jpg", UriKind.Relative));
        var location = first.Content.Headers.ContentLocation!.OriginalString;
        Assert.EndsWith(".webp", location, StringComparison.Ordinal);

        using var right = await host.Client.GetAsync(new Uri(location, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        using var wrong = await host.Client.GetAsync(new Uri(location.Replace(".webp", ".jpg", StringComparison.Ordinal), UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
    }

    [Theory]
    [InlineData("/t/lib/grid/a.jpg")]
    [InlineData("/t/lib/grid/missing.jpg")]
    [InlineData("/t/lib/nopreset/a.jpg")]
    public async Task Head_OnAnImageRoute_HasTheStatusAndHeadersOfGet_AndNoBody(string path)
    {
        await using var host = await StartAsync(Key);
        using var get = await host.Client.GetAsync(new Uri(path, UriKind.Relative));
        var getBody = await get.Content.ReadAsByteArrayAsync();
        using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative)));

        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(getBody.Length, head.Content.Headers.ContentLength ?? getBody.Length);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        if (get.Content.Headers.ContentLocation is { } location)
        {
            using var content = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, location));
            Assert.Equal(HttpStatusCode.OK, content.StatusCode);
            Assert.Equal("image/webp", content.Content.Headers.ContentType?.MediaType);
            Assert.Empty(await content.Content.ReadAsByteArrayAsync());
        }
    }

    private static async Task<int> ClearAsync(TesseraHost host, string query)
    {
        using var response = await host.Client.SendAsync(Admin(HttpMethod.Post, "/api/cache/clear" + query, Key));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("renditions").GetInt32();
    }
}
