using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Access;
using Tessera.Core.Signing;
using Tessera.Core.Stats;
using Tessera.Tests.Remote;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Access;

/// <summary>Signed libraries: an expiring HMAC over the path, checked before anything is read, fetched or made.</summary>
public sealed class SignedAccessTests
{
    private const string NewKey = "new-access-key-0123456789";
    private const string OldKey = "old-access-key-0123456789";

    private static Task<TesseraHost> StartAsync(Upstream? provider = null) =>
        TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a b.jpg"), 300, 200), o =>
        {
            o.SigningKeys.AddRange([NewKey, OldKey]);
            o.Access.Modes["lib"] = AccessMode.Signed;
            if (provider is not null)
            {
                o.Providers["books"] = [new Uri(provider.BaseAddress, "/covers/{id}.jpg").AbsoluteUri];
                o.Remote.AllowedNetworks.Add("127.0.0.0/8");
                o.Access.Modes["books"] = AccessMode.Signed;
            }
        });

    private static string Sign(string path, string key = NewKey, int seconds = 3600) =>
        path.Replace(" ", "%20", StringComparison.Ordinal) + "?" + new UrlSigner([key]).SignPath(path, DateTimeOffset.UtcNow.AddSeconds(seconds));

    [Fact]
    public async Task ASignedPath_IsServedPrivately_ByEitherKey()
    {
        await using var host = await StartAsync();
        foreach (var url in new[] { Sign("/t/lib/thumb/a b.jpg"), Sign("/t/lib/thumb/a b.jpg", OldKey), AppSigner.SignTessera("/t/lib/grid/a%20b.jpg".Replace("%20", " ", StringComparison.Ordinal), OldKey, TimeSpan.FromMinutes(5)).Replace(" ", "%20", StringComparison.Ordinal) })
        {
            using var response = await host.Client.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl!.Private);
        }
    }

    public static TheoryData<string, HttpStatusCode> Refusals() => new()
    {
        { "unsigned", HttpStatusCode.Unauthorized },
        { "expired", HttpStatusCode.Forbidden },
        { "tampered-signature", HttpStatusCode.Forbidden },
        { "other-path", HttpStatusCode.Forbidden },
        { "later-expiry", HttpStatusCode.Forbidden },
        { "unknown-key", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ABadSignature_IsRefused_WithNothingReadOrMade(string how, HttpStatusCode expected)
    {
        await using var host = await StartAsync();
        var good = Sign("/t/lib/thumb/a b.jpg");
        var url = how switch
        {
            "unsigned" => "/t/lib/thumb/a%20b.jpg",
            "expired" => Sign("/t/lib/thumb/a b.jpg", seconds: -5),
            "tampered-signature" => good[..^2] + (good[^2] == 'A' ? "B" : "A") + good[^1],
            "other-path" => good.Replace("/thumb/", "/grid/", StringComparison.Ordinal),
            "later-expiry" => System.Text.RegularExpressions.Regex.Replace(good, "expires=(\\d+)", m => $"expires={long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 86400}"),
            _ => Sign("/t/lib/thumb/a b.jpg", "an-unknown-key-0123456789"),
        };

        using var response = await host.Client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        Assert.NotEqual("image/webp", response.Content.Headers.ContentType?.MediaType);
        var stats = await host.App.Services.GetRequiredService<StatsReader>().ReadAsync(CancellationToken.None);
        Assert.Equal((0L, 0L, 0L, 0L, 1L), (stats.Renditions, stats.Items, stats.Hits, stats.Misses, stats.Rejected));
    }

    [Fact]
    public async Task AnUnsignedItemOfASignedLibrary_FetchesNothing_AndLeavesNoRow()
    {
        await using var provider = await Upstream.StartAsync((app, _) => Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(app, "/covers/{id}.jpg",
            () => Microsoft.AspNetCore.Http.Results.Bytes(Images.SolidJpeg(120, 180, 10, 20, 30), "image/jpeg")));
        await using var host = await StartAsync(provider);
        for (var i = 0; i < 20; i++)
        {
            using var denied = await host.Client.GetAsync(new Uri($"/i/books/id-{i}/cover", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        }

        Assert.Equal(0, provider.Requests);
        var stats = await host.App.Services.GetRequiredService<StatsReader>().ReadAsync(CancellationToken.None);
        Assert.Equal((0L, 0L), (stats.Renditions, stats.Items));
        Assert.DoesNotContain(stats.NegativesByReason, r => r.Value > 0);

        using var allowed = await host.Client.GetAsync(new Uri(Sign("/i/books/id-1/cover"), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(1, provider.Requests);
    }

    [Fact]
    public async Task ContentAddress_OfASignedLibrary_NeedsItsOwnSignature()
    {
        await using var host = await StartAsync();
        using var first = await host.Client.GetAsync(new Uri(Sign("/t/lib/thumb/a b.jpg"), UriKind.Relative));
        var location = first.Content.Headers.ContentLocation!.OriginalString;
        using (var bare = await host.Client.GetAsync(new Uri(location, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, bare.StatusCode);
        }

        using var signed = await host.Client.GetAsync(new Uri(Sign(location), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.True(signed.Headers.CacheControl!.Private);
    }

    [Fact]
    public async Task ThePythonSnippet_SignsAPathTheServerAccepts()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "python3")));
        if (!onPath)
        {
            Assert.Fail("python3 is not on PATH: the README's Python snippet cannot be checked");
        }

        await using var host = await StartAsync();
        var script = $$"""
            import hashlib, hmac, time, base64, urllib.request, urllib.parse
            # --- README: Python ---
            def sign_tessera(path, key, lifetime=3600):
                expires = int(time.time()) + lifetime
                mac = hmac.new(key.encode(), f"{path}?expires={expires}".encode(), hashlib.sha256).digest()
                sig = base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
                return f"{urllib.parse.quote(path)}?expires={expires}&sig={sig}"
            # --- end ---
            url = "{{host.BaseAddress.AbsoluteUri.TrimEnd('/')}}" + sign_tessera("/t/lib/thumb/a b.jpg", "{{OldKey}}")
            with urllib.request.urlopen(url) as r:
                print(r.status, r.headers["Cache-Control"])
            """;
        var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var python = Process.Start(start)!;
        await python.StandardInput.WriteAsync(script);
        python.StandardInput.Close();
        var output = await python.StandardOutput.ReadToEndAsync();
        var error = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, error);
        Assert.StartsWith("200 private", output, StringComparison.Ordinal);
    }
}
