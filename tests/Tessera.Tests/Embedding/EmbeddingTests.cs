using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Core.Presets;
using Tessera.Core.Stats;
using Tessera.Server;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Embedding;

/// <summary>An app that hosts Tessera in its own process, as a library app would: its own configuration section,
/// its own services and endpoints, plus AddTessera and MapTessera. Real Kestrel on loopback.</summary>
public sealed class EmbeddingTests : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new();
    private WebApplication? _app;
    private HttpClient? _client;

    private HttpClient Client => _client!;

    /// <summary>The host's Program.cs, as an app developer would write it.</summary>
    private static WebApplication BuildApp(string data, string photos, Action<IServiceCollection>? before = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["App:Name"] = "Shelf",
            ["Tessera:Data"] = data,
            ["Tessera:Libraries:photos"] = photos,
            ["Tessera:Presets:cover"] = "300x300:webp:80",
        });

        builder.Services.AddSingleton(new Greeting(builder.Configuration["App:Name"]!));
        before?.Invoke(builder.Services);
        builder.Services.AddTessera(builder.Configuration.GetSection("Tessera"));

        var app = builder.Build();
        app.MapGet("/app/hello", (Greeting greeting) => $"hello from {greeting.Name}");
        // The app's own endpoint uses a Tessera service from the same container.
        // Text, not JSON: the test process serializes JSON without reflection (as the native product), and this app has no context.
        app.MapGet("/app/cover-count", async (StatsReader stats, CancellationToken ct) =>
            ((await stats.ReadAsync(ct)).ByPreset.GetValueOrDefault("cover")?.Renditions ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture));
        app.MapTessera();
        return app;
    }

    public async Task InitializeAsync()
    {
        var photos = _dir.Sub("photos");
        Images.WriteSolidJpeg(Path.Combine(photos, "a.jpg"), 900, 600);
        _app = BuildApp(Path.Combine(_dir.Path, "data"), photos);
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task TheHostsOwnEndpointsAndTesserasThumbnails_ServeFromOneProcess()
    {
        Assert.Equal("hello from Shelf", await Client.GetStringAsync("/app/hello"));

        using var thumb = await Client.GetAsync("/t/photos/cover/a.jpg");
        Assert.Equal(HttpStatusCode.OK, thumb.StatusCode);
        var header = VipsImage.Probe(await thumb.Content.ReadAsByteArrayAsync());
        Assert.Equal((300, 200), (header.Width, header.Height)); // the host's configured preset

        Assert.Equal("1", await Client.GetStringAsync("/app/cover-count"));
        using var unknown = await Client.GetAsync("/t/photos/grid/a.jpg"); // the configured presets replace the defaults
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using var ready = await Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task AHostCanReplaceAPart_ByRegisteringItFirst()
    {
        using var dir = new TempDir();
        var photos = dir.Sub("photos");
        Images.WriteSolidJpeg(Path.Combine(photos, "a.jpg"), 900, 600);
        await using var app = BuildApp(Path.Combine(dir.Path, "data"), photos,
            services => services.AddSingleton(new PresetCatalog([new Preset("tiny", 32, 32)])));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };

        using var tiny = await client.GetAsync("/t/photos/tiny/a.jpg");
        Assert.Equal(HttpStatusCode.OK, tiny.StatusCode);
        Assert.Equal(32, VipsImage.Probe(await tiny.Content.ReadAsByteArrayAsync()).Width);
        using var cover = await client.GetAsync("/t/photos/cover/a.jpg");
        Assert.Equal(HttpStatusCode.BadRequest, cover.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public void ABadTesseraSetting_FailsWhenTheHostComposes_NamingTheKey()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Tessera:Data"] = _dir.Path, ["Tessera:Cache:MaxSize"] = "huge" });
        var e = Assert.Throws<Tessera.Core.Configuration.TesseraConfigurationException>(() => builder.Services.AddTessera(builder.Configuration.GetSection("Tessera")));
        Assert.Equal("Cache:MaxSize", e.Key);
    }

    private sealed record Greeting(string Name);
}
