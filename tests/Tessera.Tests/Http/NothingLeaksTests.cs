using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.Tests.Cli;
using Tessera.Tests.Remote;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http;

/// <summary>Secrets planted in a provider template, a provider header and a registered source never appear in a
/// response (body or header, with or without the admin key), in any log line at any level, or in CLI output; the
/// provider header reaches its provider's origin and no other, not even through a redirect.</summary>
public sealed class NothingLeaksTests : IAsyncLifetime, IDisposable
{
    private const string TemplateSecret = "TEMPLATE-SECRET-7d1";
    private const string HeaderSecret = "HEADER-SECRET-4f9";
    private const string RegisteredSecret = "REGISTERED-SECRET-c2e";
    private const string HopSecret = "HOP-SECRET-a83";
    private const string SigSecret = "SIG-SECRET-59b";
    private static readonly string[] Secrets = [TemplateSecret, HeaderSecret, RegisteredSecret, HopSecret, SigSecret];

    private readonly LogCapture _log = new();
    private readonly List<string> _seen = []; // every response's headers and text bodies
    private Upstream _provider = null!;
    private Upstream _elsewhere = null!;
    private TesseraHost _host = null!;

    public async Task InitializeAsync()
    {
        _elsewhere = await Upstream.StartAsync((app, _) =>
        {
            app.MapGet("/elsewhere.jpg", () => Results.Bytes(Images.SolidJpeg(300, 200, 40, 160, 90), "image/jpeg"));
            app.MapGet("/reg.jpg", () => Results.NotFound());
        });
        _provider = await Upstream.StartAsync((app, _) => app.MapGet("/scene/{file}", (HttpContext c, string file) =>
        {
            if (c.Request.Headers["ApiKey"] != HeaderSecret)
            {
                return Results.StatusCode(401);
            }

            return file switch
            {
                "ok.jpg" => Results.Bytes(Images.SolidJpeg(400, 300, 200, 60, 30), "image/jpeg"),
                "hop.jpg" => Results.Redirect(new Uri(_elsewhere.BaseAddress, $"/elsewhere.jpg?token={HopSecret}").AbsoluteUri),
                "bounce.jpg" => Results.Redirect($"/scene/bounce.jpg?sig={SigSecret}&n=1"),
                _ => Results.NotFound(),
            };
        }));
        _host = await TesseraHost.StartAsync(root => File.WriteAllText(Path.Combine(root, "lib", "broken.jpg"), "not a jpeg"), o =>
        {
            o.Remote.AllowedNetworks.Add("127.0.0.1/32");
            o.Remote.MaxRedirects = 1;
            o.Remote.MaxRetries = 0;
            o.Providers["stash"] = [_provider.BaseAddress.AbsoluteUri + "scene/{id}.jpg?apikey=" + TemplateSecret];
            o.ProviderHeaders["stash"] = new() { ["ApiKey"] = HeaderSecret };
            o.AdminApiKey = TesseraHost.AdminKey;
        }, services: _log.AddTo);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _provider.DisposeAsync();
        await _elsewhere.DisposeAsync();
    }

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task APlantedSecret_IsInNoAnswerHeaderLogOrCliOutput_AndTheProviderHeaderReachesOnlyItsOrigin()
    {
        // Provider traffic: a hit, a redirect to another origin, a 404, too many redirects, a registered URL, a broken file.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/i/stash/ok/cover")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/i/stash/hop/cover")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/i/stash/missing/cover")).StatusCode);
        var bounced = await GetAsync("/i/stash/bounce/cover");
        Assert.Contains("sig=REDACTED", HttpAssert.Header(bounced, "X-Tessera-Detail"), StringComparison.Ordinal); // the detail names the URL, masked
        using (var put = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/items/stash/reg/cover", UriKind.Relative)))
        {
            put.Headers.Add("X-Api-Key", TesseraHost.AdminKey);
            put.Content = TestJson.Content(new { sources = new[] { new Uri(_elsewhere.BaseAddress, $"/reg.jpg?token={RegisteredSecret}").AbsoluteUri } });
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(put)).StatusCode);
        }

        await GetAsync("/i/stash/reg/cover");
        await GetAsync("/t/lib/grid/broken.jpg");

        // The header went to the provider's origin with every request, and never to the other one.
        Assert.True(_provider.Requests >= 4, $"provider requests: {_provider.Requests}");
        Assert.All(_provider.RequestHeaders, h => Assert.Equal(HeaderSecret, h["ApiKey"].ToString()));
        Assert.True(_elsewhere.Requests >= 2, $"other origin requests: {_elsewhere.Requests}");
        Assert.All(_elsewhere.RequestHeaders, h =>
        {
            Assert.False(h.ContainsKey("ApiKey"));
            Assert.DoesNotContain(h, kv => kv.Value.ToString().Contains(HeaderSecret, StringComparison.Ordinal));
        });

        // Every operator endpoint: without the key 401 (health: the status alone), with it the answer, redacted.
        string[] operatorPaths = ["/api/negatives", "/api/items/stash/reg", "/api/items/stash", "/api/stats", "/api/jobs"];
        foreach (var path in operatorPaths)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(path, admin: true)).StatusCode);
        }

        foreach (var path in new[] { "/healthz", "/readyz" })
        {
            var anonymous = await GetAsync(path);
            Assert.Equal("{\"status\":\"ok\"}", await anonymous.Content.ReadAsStringAsync());
            Assert.Contains("dataFolder", await (await GetAsync(path, admin: true)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await GetAsync("/metrics");
        var negatives = await (await GetAsync("/api/negatives", admin: true)).Content.ReadAsStringAsync();
        Assert.Contains("apikey=REDACTED", negatives, StringComparison.Ordinal);
        Assert.Contains("\"lib/broken.jpg\"", negatives, StringComparison.Ordinal);
        Assert.DoesNotContain(_host.Root, negatives, StringComparison.Ordinal);
        Assert.Contains("token=REDACTED", await (await GetAsync("/api/items/stash/reg", admin: true)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The CLI on the same data folder, with the provider and its header in the settings file.
        var data = Path.Combine(_host.Root, "data");
        await File.WriteAllTextAsync(Path.Combine(data, "tessera.json"), $$"""
            { "Libraries": { "lib": "{{_host.LibraryPath}}" },
              "Providers": { "stash": "{{_provider.BaseAddress.AbsoluteUri}}scene/{id}.jpg?apikey={{TemplateSecret}}" },
              "ProviderHeaders": { "stash": { "ApiKey": "{{HeaderSecret}}" } } }
            """);
        var cli = new List<string>();
        foreach (var args in new[] { new[] { "negatives" }, ["negatives", "--json"], ["report"], ["status"], ["status", "--json"] })
        {
            var (code, stdout, stderr) = await CliRunner.RunAsync([.. args, "--data", data]);
            Assert.True(code == 0, $"{string.Join(' ', args)}: {stderr}");
            cli.Add(stdout + stderr);
        }

        Assert.Contains("apikey=REDACTED", cli[0], StringComparison.Ordinal);
        Assert.Contains("lib/broken.jpg", cli[1], StringComparison.Ordinal);

        // Nothing anywhere: answers, headers, the whole log at every level, the CLI. The log did see the URLs, masked.
        Assert.Contains("apikey=REDACTED", _log.Text, StringComparison.Ordinal);
        foreach (var secret in Secrets)
        {
            Assert.All(_seen, s => Assert.DoesNotContain(secret, s, StringComparison.Ordinal));
            Assert.All(_log.Lines, l => Assert.DoesNotContain(secret, l, StringComparison.Ordinal));
            Assert.All(cli, o => Assert.DoesNotContain(secret, o, StringComparison.Ordinal));
        }
    }

    private async Task<HttpResponseMessage> GetAsync(string path, bool admin = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (admin)
        {
            request.Headers.Add("X-Api-Key", TesseraHost.AdminKey);
        }

        return await SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        var response = await _host.Client.SendAsync(request);
        var text = response.Content.Headers.ContentType?.MediaType is { } type && type.StartsWith("image/", StringComparison.Ordinal)
            ? string.Empty
            : await response.Content.ReadAsStringAsync();
        _seen.Add($"{request.RequestUri} {response.StatusCode}\n{response.Headers}\n{response.Content.Headers}\n{text}");
        return response;
    }
}
