using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http;

/// <summary>The lifecycle of /i/ items through the real server: bulk registration, listing, purge, alias removal,
/// removal by an empty body, and admin bodies capped while they stream.</summary>
public sealed class ItemLifecycleTests : IAsyncLifetime
{
    private const string Key = "lifecycle-admin-key-0123456789";
    private TesseraHost _host = null!;

    public async Task InitializeAsync() => _host = await TesseraHost.StartAsync(root =>
    {
        Images.WriteSolidJpeg(Path.Combine(root, "lib", "books", "prince.jpg"), 400, 600, 0, 0, 255);
    }, o =>
    {
        o.AdminApiKey = Key;
        o.Providers["shelf"] = ["https://covers.example.com/{id}.jpg"];
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task BulkRegistration_RegistersEveryItemAndAlias_AndTheListPagesThroughThem()
    {
        var items = Enumerable.Range(0, 2500).Select(i => new { id = $"book-{i:D5}", path = "books/prince.jpg", aliases = new[] { $"isbn-{i:D5}" } });
        using var bulk = await Admin(HttpMethod.Post, "/api/items/lib", new { items });
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);

        using var described = await Admin(HttpMethod.Get, "/api/items/lib/isbn-01234", null);
        using (var json = JsonDocument.Parse(await described.Content.ReadAsStringAsync()))
        {
            Assert.Equal("book-01234", json.RootElement.GetProperty("item").GetString());
            Assert.Equal("books/prince.jpg", json.RootElement.GetProperty("roles")[0].GetProperty("path").GetString());
        }

        var seen = new List<string>();
        string? after = null;
        do
        {
            using var page = await Admin(HttpMethod.Get, "/api/items/lib?limit=1000" + (after is null ? string.Empty : "&after=" + after), null);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            using var json = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
            seen.AddRange(json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            after = json.RootElement.GetProperty("next").GetString();
        }
        while (after is not null);

        Assert.Equal(2500, seen.Count);
        Assert.Equal(2500, seen.Distinct().Count());
    }

    [Fact]
    public async Task ABulkEntryThatIsInvalid_RefusesTheWholeRequest_NamingIt()
    {
        using var bulk = await Admin(HttpMethod.Post, "/api/items/lib", new { items = new object[] { new { id = "ok" }, new { id = "x", path = "../outside.jpg" } } });
        Assert.Equal(HttpStatusCode.BadRequest, bulk.StatusCode);
        Assert.Contains("items[1]", await bulk.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var page = await Admin(HttpMethod.Get, "/api/items/lib", null);
        Assert.DoesNotContain("\"ok\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PurgingAnItem_RemovesItsRegistration_Aliases_Renditions_AndMemory()
    {
        (await Admin(HttpMethod.Put, "/api/items/lib/B00ABC/cover", new { path = "books/prince.jpg" })).EnsureSuccessStatusCode();
        (await Admin(HttpMethod.Post, "/api/items/lib/B00ABC/aliases", new { aliases = new[] { "42" } })).EnsureSuccessStatusCode();
        using (var served = await _host.Client.GetAsync(new Uri("/i/lib/42/cover", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        using var purge = await Admin(HttpMethod.Delete, "/api/items/lib/42", null);
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        using (var json = JsonDocument.Parse(await purge.Content.ReadAsStringAsync()))
        {
            Assert.Equal("B00ABC", json.RootElement.GetProperty("item").GetString());
            Assert.Equal(1, json.RootElement.GetProperty("registrations").GetInt32());
            Assert.Equal(1, json.RootElement.GetProperty("aliases").GetInt32());
            Assert.Equal(1, json.RootElement.GetProperty("renditions").GetInt32());
        }

        // The /i/ memo is gone too: the item has no source now, so it is a placeholder, not the cached cover.
        using var after = await _host.Client.GetAsync(new Uri("/i/lib/42/cover", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        using var described = await Admin(HttpMethod.Get, "/api/items/lib/42", null);
        using var d = JsonDocument.Parse(await described.Content.ReadAsStringAsync());
        Assert.Equal("42", d.RootElement.GetProperty("item").GetString());
        Assert.Equal(0, d.RootElement.GetProperty("roles").GetArrayLength());
    }

    [Fact]
    public async Task RemovingOneAlias_KeepsTheOthers()
    {
        (await Admin(HttpMethod.Put, "/api/items/lib/A/cover", new { path = "books/prince.jpg" })).EnsureSuccessStatusCode();
        (await Admin(HttpMethod.Post, "/api/items/lib/A/aliases", new { aliases = new[] { "B", "C" } })).EnsureSuccessStatusCode();

        using var removed = await Admin(HttpMethod.Delete, "/api/items/lib/A/aliases/B", null);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        using var again = await Admin(HttpMethod.Delete, "/api/items/lib/A/aliases/B", null);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);

        using var described = await Admin(HttpMethod.Get, "/api/items/lib/A", null);
        using var json = JsonDocument.Parse(await described.Content.ReadAsStringAsync());
        Assert.Equal(["C"], json.RootElement.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        using var b = await Admin(HttpMethod.Get, "/api/items/lib/B", null);
        Assert.Contains("\"item\":\"B\"", await b.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"sources\":[]}")]
    public async Task AnEmptyBody_OrNoSourcesAndNoPath_RemovesTheRegistration(string body)
    {
        (await Admin(HttpMethod.Put, "/api/items/lib/X/cover", new { path = "books/prince.jpg" })).EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/items/lib/X/cover") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", Key);
        using var response = await _host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var described = await Admin(HttpMethod.Get, "/api/items/lib/X", null);
        using var json = JsonDocument.Parse(await described.Content.ReadAsStringAsync());
        Assert.Equal(0, json.RootElement.GetProperty("roles").GetArrayLength());
    }

    [Fact]
    public async Task AChunkedBodyPastTheCap_Is413_WithoutBeingReadWhole_OrEchoed()
    {
        var sent = 0L;
        var marker = "ECHO-ME-" + new string('x', 1000);
        var content = new ChunkedContent(async stream =>
        {
            var chunk = Encoding.UTF8.GetBytes("{\"sources\":[\"" + marker);
            for (var i = 0; i < 25 * 1024 && sent < 25L * 1024 * 1024; i++)
            {
                await stream.WriteAsync(chunk);
                sent += chunk.Length;
            }
        });
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/items/lib/X/cover") { Content = content };
        request.Headers.Add("X-Api-Key", Key);
        HttpResponseMessage? response = null;
        try
        {
            response = await _host.Client.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            // The server may answer and close before the client has finished sending; then it never read it all.
        }

        if (response is not null)
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
                Assert.DoesNotContain("ECHO-ME", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        Assert.True(sent < 25L * 1024 * 1024, $"the client sent all {sent} bytes: the server read the body whole");
    }

    [Fact]
    public async Task ClearByLibrary_WorksForAnItemsOnlyLibrary()
    {
        using var response = await Admin(HttpMethod.Post, "/api/cache/clear?library=shelf", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var unknown = await Admin(HttpMethod.Post, "/api/cache/clear?library=nope", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private Task<HttpResponseMessage> Admin(HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = TestJson.Content(body);
        }

        request.Headers.Add("X-Api-Key", Key);
        return _host.Client.SendAsync(request);
    }

    /// <summary>A body with no Content-Length: sent chunked, so only a cap enforced while reading can stop it.</summary>
    private sealed class ChunkedContent(Func<Stream, Task> write) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => write(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
