using System.Net;
using Tessera.Core.Access;
using Tessera.Tests.Http.Access;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Manifest;

/// <summary>Who may ask for a manifest: anyone of a public library; only the app's server (the admin key) of a signed
/// one, whose URLs come signed and load; of a forward one, whoever the app allows with the request's own credentials.</summary>
public sealed class ManifestAccessTests
{
    private const string SigningKey = "manifest-signing-key-0123456789";

    private static string Body(params string[] paths) => ManifestClient.Body("lib", "thumb", "paths", paths);

    [Fact]
    public async Task ASignedLibrary_NeedsTheAdminKey_AndItsSignedUrlsLoad_WhileATamperedOneDoesNot()
    {
        await using var host = await TesseraHost.StartAsync(root =>
        {
            Images.WriteSolidJpeg(Path.Combine(root, "lib", "Summer 2019", "a b.jpg"), 300, 200);
            Images.WriteSolidJpeg(Path.Combine(root, "lib", "c.jpg"), 200, 300);
        }, o =>
        {
            o.AdminApiKey = TesseraHost.AdminKey;
            o.SigningKeys.Add(SigningKey);
            o.Access.Modes["lib"] = AccessMode.Signed;
            o.Access.ManifestExpiry = TimeSpan.FromMinutes(10);
        });
        var generations = host.Cache.Service.Generations;

        Assert.Equal(HttpStatusCode.Unauthorized, (await ManifestClient.PostAsync(host, Body("c.jpg"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ManifestClient.PostAsync(host, Body("c.jpg"), apiKey: "wrong-key")).Status);
        Assert.Equal(generations, host.Cache.Service.Generations);

        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var (status, body) = await ManifestClient.PostAsync(host, Body("Summer 2019/a b.jpg", "c.jpg"), apiKey: TesseraHost.AdminKey);

        Assert.Equal(HttpStatusCode.OK, status);
        var expires = body.GetProperty("expires").GetInt64();
        Assert.InRange(expires, before + 590, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 610);
        var items = body.GetProperty("items");
        Assert.StartsWith("/t/lib/thumb/Summer%202019/a%20b.jpg?expires=", items[0].Str("url"), StringComparison.Ordinal);
        Assert.Equal((150, 100), (items[0].Int("width"), items[0].Int("height"))); // from the header while pending
        foreach (var item in items.EnumerateArray())
        {
            var url = item.Str("url")!;
            Assert.Contains($"expires={expires}&sig=", url, StringComparison.Ordinal);
            using var image = await host.Client.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/webp", image.Content.Headers.ContentType?.MediaType);

            var tampered = url.Replace("/thumb/", "/grid/", StringComparison.Ordinal); // another rendition than was signed
            using var refused = await host.Client.GetAsync(new Uri(tampered, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var longer = url.Replace($"expires={expires}", $"expires={expires + 86400}", StringComparison.Ordinal);
            using var extended = await host.Client.GetAsync(new Uri(longer, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, extended.StatusCode);
        }

        var (_, after) = await ManifestClient.PostAsync(host, Body("c.jpg"), apiKey: TesseraHost.AdminKey);
        Assert.Equal("ready", after.GetProperty("items")[0].Str("status"));
    }

    [Theory]
    [InlineData("alice", HttpStatusCode.OK)]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("stranger", HttpStatusCode.Unauthorized)]
    [InlineData("forbidden", HttpStatusCode.Forbidden)]
    [InlineData("broken", HttpStatusCode.ServiceUnavailable)]
    public async Task AForwardLibrary_AsksTheAppWithTheRequestsCredentials(string? bearer, HttpStatusCode expected)
    {
        await using var auth = await AuthApp.StartAsync();
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 300, 200), o =>
        {
            o.SigningKeys.Add(SigningKey);
            o.Access.Modes["lib"] = AccessMode.Forward;
            o.Access.AuthUrl = new Uri(auth.BaseAddress, "/auth");
        });

        var (status, body) = await ManifestClient.PostAsync(host, Body("a.jpg"), bearer: bearer);

        Assert.Equal(expected, status);
        Assert.Equal(1, auth.Hits("/auth")); // the app decides, even for a request without credentials
        if (expected == HttpStatusCode.OK)
        {
            var item = body.GetProperty("items")[0];
            Assert.Equal("/t/lib/thumb/a.jpg", item.Str("url")); // unsigned: the image request is checked the same way
            Assert.False(body.TryGetProperty("expires", out _));
        }
        else
        {
            Assert.False(body.ValueKind == System.Text.Json.JsonValueKind.Object && body.TryGetProperty("items", out _));
        }
    }

    [Fact]
    public async Task APublicLibrary_NeedsNoKey_AndItsUrlsAreUnsigned()
    {
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 30, 20),
            o => o.SigningKeys.Add(SigningKey));

        var (status, body) = await ManifestClient.PostAsync(host, Body("a.jpg"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("/t/lib/thumb/a.jpg", body.GetProperty("items")[0].Str("url"));
    }

    [Fact]
    public async Task ThePublicManifest_CountsAgainstTheApiRateLimit()
    {
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 30, 20),
            o => o.Limits.ApiPerMinute = 2);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await ManifestClient.PostAsync(host, Body("a.jpg"))).Status);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
