using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http;

/// <summary>/i/{library}/{id}/{role}: items by the app's own ids, their registered sources and aliases.</summary>
public sealed class ItemTests : IAsyncLifetime
{
    private const string Key = "items-admin-key-0123456789";
    private TesseraHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await TesseraHost.StartAsync(root =>
        {
            Images.WriteSolidJpeg(Path.Combine(root, "lib", "books", "prince.jpg"), 400, 600, 0, 0, 255);
            Images.WriteSolidJpeg(Path.Combine(root, "lib", "books", "other.jpg"), 400, 600, 255, 0, 0);
            Images.WriteSolidJpeg(Path.Combine(root, "outside.jpg"), 400, 600);
        }, o => o.AdminApiKey = Key);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ARegisteredItem_IsServedFromItsFile()
    {
        (await PutAsync("B00ABC", "cover", new { path = "books/prince.jpg" })).EnsureSuccessStatusCode();

        using var response = await _host.Client.GetAsync("/i/lib/B00ABC/cover?preset=grid");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("file", HttpAssert.Header(response, "X-Tessera-Source"));
        Assert.Matches(HttpAssert.StrongKeyETag(), response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Aliases_ServeOneItem_CachedOnce_UnderAnyOfItsIds()
    {
        (await PutAsync("B00ABC", "cover", new { path = "books/prince.jpg" })).EnsureSuccessStatusCode();
        using var aliased = await Admin(HttpMethod.Post, "/api/items/lib/B00ABC/aliases", new { aliases = new[] { "internal-42", "Le Petit Prince ✓", "isbn/978-0156012195" } });
        Assert.Equal(HttpStatusCode.OK, aliased.StatusCode);

        var tags = new List<string>();
        foreach (var id in new[] { "B00ABC", "internal-42", Uri.EscapeDataString("Le Petit Prince ✓"), Uri.EscapeDataString("isbn/978-0156012195") })
        {
            using var response = await _host.Client.GetAsync($"/i/lib/{id}/cover?preset=grid");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            tags.Add(response.Headers.ETag!.Tag);
        }

        Assert.Single(tags.Distinct());
        Assert.Equal(1, _host.Cache.Service.Generations);

        using var described = await Admin(HttpMethod.Get, "/api/items/lib/internal-42", null);
        using var json = JsonDocument.Parse(await described.Content.ReadAsStringAsync());
        Assert.Equal("B00ABC", json.RootElement.GetProperty("item").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("aliases").GetArrayLength());
        Assert.Equal("books/prince.jpg", json.RootElement.GetProperty("roles")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task AnAliasOfAnAlias_PointsAtTheItem()
    {
        (await PutAsync("A", "cover", new { path = "books/prince.jpg" })).EnsureSuccessStatusCode();
        (await Admin(HttpMethod.Post, "/api/items/lib/A/aliases", new { aliases = new[] { "B" } })).EnsureSuccessStatusCode();
        (await Admin(HttpMethod.Post, "/api/items/lib/B/aliases", new { aliases = new[] { "C" } })).EnsureSuccessStatusCode();

        using var response = await _host.Client.GetAsync("/i/lib/C/cover");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var described = await Admin(HttpMethod.Get, "/api/items/lib/A", null);
        Assert.Contains("\"C\"", await described.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnicodeIds_AreOneItem_HoweverTheyAreComposed()
    {
        (await PutAsync("Am\u00e9lie", "poster", new { path = "books/other.jpg" })).EnsureSuccessStatusCode();

        using var decomposed = await _host.Client.GetAsync($"/i/lib/{Uri.EscapeDataString("Ame\u0301lie")}/poster");

        Assert.Equal(HttpStatusCode.OK, decomposed.StatusCode);
    }

    [Fact]
    public async Task AliasingAnIdWithSourcesOfItsOwn_IsAConflict()
    {
        (await PutAsync("one", "cover", new { path = "books/prince.jpg" })).EnsureSuccessStatusCode();
        (await PutAsync("two", "cover", new { path = "books/other.jpg" })).EnsureSuccessStatusCode();

        using var response = await Admin(HttpMethod.Post, "/api/items/lib/one/aliases", new { aliases = new[] { "two" } });

        await HttpAssert.ProblemAsync(response, 409, "'two' has sources of its own");
    }

    [Fact]
    public async Task AnUnknownItem_GetsTheNotFoundPlaceholder_AndARoleOfItsOwn()
    {
        (await PutAsync("known", "cover", new { path = "books/prince.jpg" })).EnsureSuccessStatusCode();

        using var unknown = await _host.Client.GetAsync("/i/lib/nobody/cover");
        using var otherRole = await _host.Client.GetAsync("/i/lib/known/author");

        foreach (var response in new[] { unknown, otherRole })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("not-found", HttpAssert.Header(response, "X-Tessera-Placeholder"));
            Assert.StartsWith("image/", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReRegistering_ChangesTheImage_AtOnce()
    {
        (await PutAsync("x", "cover", new { path = "books/prince.jpg" })).EnsureSuccessStatusCode();
        using var first = await _host.Client.GetAsync("/i/lib/x/cover");
        (await PutAsync("x", "cover", new { path = "books/other.jpg" })).EnsureSuccessStatusCode();
        using var second = await _host.Client.GetAsync("/i/lib/x/cover");

        Assert.NotEqual(first.Headers.ETag!.Tag, second.Headers.ETag!.Tag);
    }

    [Theory]
    [InlineData("/api/items/lib/x/Cover", "{\"path\":\"books/prince.jpg\"}", 400, "role")]
    [InlineData("/api/items/nolib/x/cover", "{\"path\":\"books/prince.jpg\"}", 404, "unknown library")]
    [InlineData("/api/items/lib/x/cover", "{not json", 400, "expected a JSON body")]
    [InlineData("/api/items/lib/x/cover", "{\"path\":\"../outside.jpg\"}", 400, "path")]
    [InlineData("/api/items/lib/x/cover", "{\"path\":\"books/missing.jpg\"}", 400, "path")]
    [InlineData("/api/items/lib/x/cover", "{\"sources\":[\"file:///etc/passwd\"]}", 400, "not accepted")]
    [InlineData("/api/items/lib/x/cover", "{\"sources\":[\"http://user:pw@example.com/a.jpg\"]}", 400, "user info")]
    [InlineData("/api/items/lib/x/cover", "{\"sources\":[\"ftp://example.com/a.jpg\"]}", 400, "not accepted")]
    public async Task BadRegistrations_GetAReason(string path, string body, int status, string mention)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", Key);

        using var response = await _host.Client.SendAsync(request);

        await HttpAssert.ProblemAsync(response, status, mention);
    }

    [Fact]
    public async Task Registering_NeedsTheApiKey()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/items/lib/x/cover") { Content = TestJson.Content(new { path = "books/prince.jpg" }) };

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/i/lib/x/Bad%20Role", 400)]
    [InlineData("/i/nolib/x/cover", 404)]
    [InlineData("/i/lib/x/cover?preset=huge", 400)]
    [InlineData("/i/lib/%01/cover", 400)]
    public async Task BadItemRequests_GetAReason(string path, int status)
    {
        using var response = await _host.Client.GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private Task<HttpResponseMessage> PutAsync(string id, string role, object body) =>
        Admin(HttpMethod.Put, $"/api/items/lib/{Uri.EscapeDataString(id)}/{role}", body);

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
}
