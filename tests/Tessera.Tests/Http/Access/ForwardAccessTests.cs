using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Access;
using Tessera.Core.Stats;
using Tessera.Tests.Remote;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Access;

/// <summary>A folder library behind forward access: the app's auth URL decides, before anything is read or made.</summary>
public sealed class ForwardAccessTests
{
    private static async Task<(TesseraHost Host, Upstream Auth)> StartAsync(TimeSpan? authCache = null, Func<Task>? hold = null)
    {
        var auth = await AuthApp.StartAsync(hold);
        var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 300, 200), o =>
        {
            o.AdminApiKey = TesseraHost.AdminKey;
            o.Access.Modes["lib"] = AccessMode.Forward;
            o.Access.AuthUrl = new Uri(auth.BaseAddress, "/auth");
            o.Access.AuthCache = authCache ?? TimeSpan.FromSeconds(30);
        });
        return (host, auth);
    }

    private static Task<StatsReport> StatsAsync(TesseraHost host) => host.App.Services.GetRequiredService<StatsReader>().ReadAsync(CancellationToken.None);

    [Fact]
    public async Task Allowed_IsServedPrivately_AndTheDecisionIsCachedPerCredential()
    {
        var (host, auth) = await StartAsync();
        await using var _ = host;
        await using var __ = auth;

        using (var response = await host.Client.SendAsync(AuthApp.Get("/t/lib/thumb/a.jpg", bearer: "alice")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
            var control = response.Headers.CacheControl!;
            Assert.True(control.Private);
            Assert.False(control.Public);
            Assert.DoesNotContain("immutable", control.ToString(), StringComparison.Ordinal);
        }

        using (var again = await host.Client.SendAsync(AuthApp.Get("/t/lib/thumb/a.jpg", bearer: "alice")))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.Equal(1, auth.Hits("/auth"));
        using (var cookie = await host.Client.SendAsync(AuthApp.Get("/t/lib/thumb/a.jpg", cookie: "session=bob")))
        {
            Assert.Equal(HttpStatusCode.OK, cookie.StatusCode);
        }

        Assert.Equal(2, auth.Hits("/auth")); // other credentials: asked again
        Assert.Contains(auth.RequestHeaders, h => h.Cookie.ToString() == "session=bob");
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("stranger", HttpStatusCode.Unauthorized)]
    [InlineData("forbidden", HttpStatusCode.Forbidden)]
    [InlineData("broken", HttpStatusCode.ServiceUnavailable)]
    public async Task Denied_HasNoImage_NoGeneration_NoIndexRow_AndIsNeitherHitNorMiss(string? bearer, HttpStatusCode expected)
    {
        var (host, auth) = await StartAsync();
        await using var _ = host;
        await using var __ = auth;

        for (var i = 0; i < 3; i++)
        {
            using var response = await host.Client.SendAsync(AuthApp.Get("/t/lib/thumb/a.jpg", bearer: bearer));
            Assert.Equal(expected, response.StatusCode);
            Assert.NotEqual("image/webp", response.Content.Headers.ContentType?.MediaType);
            Assert.False(response.Headers.Contains("X-Tessera-Cache"));
            Assert.Null(response.Content.Headers.ContentLocation);
        }

        var stats = await StatsAsync(host);
        Assert.Equal(0, stats.Renditions);
        Assert.Equal(0, stats.Items);
        Assert.Equal(0, stats.Hits);
        Assert.Equal(0, stats.Misses);
        Assert.Equal(3, stats.Rejected);
        // 401 and 403 are remembered for the credential; an app that gave no decision is asked again.
        Assert.Equal(expected == HttpStatusCode.ServiceUnavailable ? 3 : 1, auth.Hits("/auth"));
    }

    [Fact]
    public async Task AnUnreachableAuthUrl_FailsClosed()
    {
        var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 300, 200), o =>
        {
            o.Access.Modes["lib"] = AccessMode.Forward;
            o.Access.AuthUrl = new Uri("http://127.0.0.1:9/auth"); // discard port: nothing listens
        });
        await using var _ = host;
        using var response = await host.Client.SendAsync(AuthApp.Get("/t/lib/thumb/a.jpg", bearer: "alice"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task ACachedDecision_Expires()
    {
        var (host, auth) = await StartAsync(authCache: TimeSpan.FromMilliseconds(500));
        await using var _ = host;
        await using var __ = auth;

        (await host.Client.SendAsync(AuthApp.Get("/t/lib/thumb/a.jpg", bearer: "alice"))).Dispose();
        Assert.Equal(1, auth.Hits("/auth"));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        (await host.Client.SendAsync(AuthApp.Get("/t/lib/thumb/a.jpg", bearer: "alice"))).Dispose();
        Assert.Equal(2, auth.Hits("/auth"));
    }

    [Fact]
    public async Task ConcurrentRequestsWithTheSameCredentials_ShareOneAuthCall()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (host, auth) = await StartAsync(hold: () => release.Task);
        await using var _ = host;
        await using var __ = auth;

        var requests = Enumerable.Range(0, 8).Select(_ => host.Client.SendAsync(AuthApp.Get("/t/lib/thumb/a.jpg", bearer: "alice"))).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (auth.Hits("/auth") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await Task.Delay(500); // let the others reach the gate while the first call is held
        release.SetResult();
        foreach (var response in await Task.WhenAll(requests))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        Assert.Equal(1, auth.Hits("/auth"));
    }

    [Fact]
    public async Task ContentAddress_OfAPrivateLibrary_NeedsTheSameCheck_AndETagsStillWork()
    {
        var (host, auth) = await StartAsync();
        await using var _ = host;
        await using var __ = auth;

        string location;
        string etag;
        using (var response = await host.Client.SendAsync(AuthApp.Get("/t/lib/thumb/a.jpg", bearer: "alice")))
        {
            location = response.Content.Headers.ContentLocation!.OriginalString;
            etag = response.Headers.ETag!.Tag;
        }

        using (var anonymous = await host.Client.GetAsync(new Uri(location, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.NotEqual("image/webp", anonymous.Content.Headers.ContentType?.MediaType);
        }

        using (var allowed = await host.Client.SendAsync(AuthApp.Get(location, bearer: "alice")))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.True(allowed.Headers.CacheControl!.Private);
            Assert.DoesNotContain("immutable", allowed.Headers.CacheControl.ToString(), StringComparison.Ordinal);
        }

        var revalidate = AuthApp.Get("/t/lib/thumb/a.jpg", bearer: "alice");
        revalidate.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using (var notModified = await host.Client.SendAsync(revalidate))
        {
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.True(notModified.Headers.CacheControl!.Private);
        }

        var sneaky = new HttpRequestMessage(HttpMethod.Get, new Uri("/t/lib/thumb/a.jpg", UriKind.Relative));
        sneaky.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var refused = await host.Client.SendAsync(sneaky);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
