using System.Net;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Dashboard;

/// <summary>The dashboard's sign-in over plain HTTP: the cookie it sets, where the cookie is honoured (this origin
/// only), and the page's own headers.</summary>
public sealed class DashboardSessionTests : IAsyncLifetime, IDisposable
{
    private TesseraHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 64, 64), o => o.AdminApiKey = TesseraHost.AdminKey);
        // No cookie jar and no redirects: each request carries exactly the cookie the test gives it.
        _client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _client.Dispose();

    private string Origin => _host.BaseAddress.GetLeftPart(UriPartial.Authority);

    private async Task<HttpResponseMessage> SignInAsync(string key, string? origin = null, string? site = "same-origin", string? mode = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = new FormUrlEncodedContent([new("key", key)]) };
        request.Headers.Add("Origin", origin ?? Origin);
        if (site is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", site);
        }

        if (mode is not null)
        {
            request.Headers.Add("Sec-Fetch-Mode", mode);
        }

        return await _client.SendAsync(request);
    }

    private async Task<string> SessionAsync()
    {
        using var response = await SignInAsync(TesseraHost.AdminKey);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        return cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    private async Task<HttpStatusCode> AsSessionAsync(HttpMethod method, string path, string cookie, string? site, string? origin = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        if (site is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", site);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await _client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task SignIn_SetsAnHttpOnlyStrictCookie_ThatIsNotTheKey()
    {
        using var response = await SignInAsync(TesseraHost.AdminKey);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("tessera_session=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase); // plain HTTP here; Secure over HTTPS
        Assert.DoesNotContain(TesseraHost.AdminKey, cookie, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(TesseraHost.AdminKey), cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongKey_Is401_WithAClearMessage_AndNoCookie()
    {
        using var response = await SignInAsync("not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("wrong admin key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));

        using var navigated = await SignInAsync("not-the-key", mode: "navigate");
        Assert.Equal(HttpStatusCode.SeeOther, navigated.StatusCode);
        Assert.Equal("/?signin=refused", navigated.Headers.Location?.OriginalString);
        Assert.False(navigated.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task SignIn_FromAnotherSite_IsRefused()
    {
        using var crossSite = await SignInAsync(TesseraHost.AdminKey, site: "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        using var otherOrigin = await SignInAsync(TesseraHost.AdminKey, origin: "https://evil.example", site: null);
        Assert.Equal(HttpStatusCode.Forbidden, otherOrigin.StatusCode);
        Assert.False(otherOrigin.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task TheCookie_OpensAdminRoutes_OnlyFromThisOrigin()
    {
        var cookie = await SessionAsync();
        Assert.Equal(HttpStatusCode.OK, await AsSessionAsync(HttpMethod.Get, "/api/stats", cookie, "same-origin"));
        Assert.Equal(HttpStatusCode.OK, await AsSessionAsync(HttpMethod.Get, "/api/stats", cookie, null, Origin));
        Assert.Equal(HttpStatusCode.Unauthorized, await AsSessionAsync(HttpMethod.Get, "/api/stats", cookie, "cross-site"));
        Assert.Equal(HttpStatusCode.Unauthorized, await AsSessionAsync(HttpMethod.Get, "/api/stats", cookie, "same-site"));
        Assert.Equal(HttpStatusCode.Unauthorized, await AsSessionAsync(HttpMethod.Get, "/api/stats", cookie, null, "https://evil.example"));
        Assert.Equal(HttpStatusCode.Unauthorized, await AsSessionAsync(HttpMethod.Get, "/api/stats", "tessera_session=made-up", "same-origin"));

        // A state change needs a positive sign of this origin: a request with neither header is refused.
        Assert.Equal(HttpStatusCode.Unauthorized, await AsSessionAsync(HttpMethod.Post, "/api/cache/clear", cookie, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await AsSessionAsync(HttpMethod.Post, "/api/cache/clear", cookie, "none"));
        Assert.Equal(HttpStatusCode.OK, await AsSessionAsync(HttpMethod.Post, "/api/cache/clear", cookie, "same-origin"));
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var cookie = await SessionAsync();
        Assert.Equal(HttpStatusCode.OK, await AsSessionAsync(HttpMethod.Get, "/api/stats/history", cookie, "same-origin"));
        Assert.Equal(HttpStatusCode.NoContent, await AsSessionAsync(HttpMethod.Delete, "/api/session", cookie, "same-origin"));
        Assert.Equal(HttpStatusCode.Unauthorized, await AsSessionAsync(HttpMethod.Get, "/api/stats/history", cookie, "same-origin"));
    }

    [Fact]
    public async Task ThePage_HasAStrictPolicy_AndRevalidatesByETag()
    {
        using var page = await _client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var policy = HttpAssert.Header(page, "Content-Security-Policy")!;
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/dashboard/app.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)", html); // no inline script: the policy would block it
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html); // no inline handlers either

        foreach (var file in new[] { "/", "/dashboard/app.js", "/dashboard/app.css", "/dashboard/favicon.svg" })
        {
            using var first = await _client.GetAsync(new Uri(file, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("no-cache", HttpAssert.Header(first, "Cache-Control"));
            var etag = first.Headers.ETag;
            Assert.NotNull(etag);
            using var again = new HttpRequestMessage(HttpMethod.Get, file);
            again.Headers.IfNoneMatch.Add(etag);
            using var revalidated = await _client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        }

        using var missing = await _client.GetAsync(new Uri("/dashboard/nothing.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
