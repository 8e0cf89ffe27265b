using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tessera.Tests.Http;

internal static partial class HttpAssert
{
    [GeneratedRegex("^\"[0-9a-f]{64}\"$")]
    public static partial Regex StrongKeyETag();

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    /// <summary>The response is an RFC 9457 problem whose detail contains every one of <paramref name="mentions"/>.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status, params string[] mentions)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement.Clone();
        Assert.Equal(status, root.GetProperty("status").GetInt32());
        var detail = root.GetProperty("detail").GetString() ?? string.Empty;
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, detail, StringComparison.Ordinal);
        }

        return root;
    }

    /// <summary>GETs <paramref name="url"/> <paramref name="times"/> times: each a 200 hit of the WebP
    /// <paramref name="made"/> (its miss) sent, with the same bytes, length and ETag; then HEAD: its length, no body.</summary>
    public static async Task HitsRepeatTheMissAsync(HttpClient client, string url, HttpResponseMessage made, byte[] bytes, int times = 3)
    {
        for (var i = 0; i < times; i++)
        {
            using var hit = await client.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.OK, hit.StatusCode);
            Assert.Equal("hit", Header(hit, "X-Tessera-Cache"));
            Assert.Equal("image/webp", hit.Content.Headers.ContentType?.MediaType);
            Assert.Equal(bytes.Length, hit.Content.Headers.ContentLength);
            Assert.Equal(made.Headers.ETag, hit.Headers.ETag);
            Assert.Equal(bytes, await hit.Content.ReadAsByteArrayAsync());
        }

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(url, UriKind.Relative)));
        Assert.Equal(System.Net.HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    public static void ShortRevalidatedCaching(CacheControlHeaderValue? cacheControl)
    {
        Assert.NotNull(cacheControl);
        Assert.True(cacheControl.MustRevalidate, $"Cache-Control '{cacheControl}' lacks must-revalidate");
        Assert.NotNull(cacheControl.MaxAge);
        Assert.InRange(cacheControl.MaxAge.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.DoesNotContain(cacheControl.Extensions, e => e.Name == "immutable");
    }

    public static void ImmutableCaching(CacheControlHeaderValue? cacheControl)
    {
        Assert.NotNull(cacheControl);
        Assert.True(cacheControl.Public, $"Cache-Control '{cacheControl}' is not public");
        Assert.Equal(TimeSpan.FromSeconds(31536000), cacheControl.MaxAge);
        Assert.Contains(cacheControl.Extensions, e => e.Name == "immutable");
    }
}
