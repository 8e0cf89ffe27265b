using System.Net;
using System.Text.Json;
using Tessera.Core.Cache;
using Tessera.Tests.Http;
using Tessera.Tests.Support;
using static Tessera.Tests.Eviction.EvictionSupport;

namespace Tessera.Tests.Health;

/// <summary>A library folder that vanishes (an unmounted disk): readiness says which, and cleanup leaves its
/// renditions alone.</summary>
public sealed class VanishedLibraryTests
{
    [Fact]
    public async Task AVanishedLibraryFolder_MakesReadyz503NamingIt_WhileHealthzStaysOk()
    {
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 300, 200),
            o => o.AdminApiKey = TesseraHost.AdminKey);
        host.Client.DefaultRequestHeaders.Add("X-Api-Key", TesseraHost.AdminKey); // the reason names a path: the operator's business
        using (var ready = await host.Client.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        Directory.Move(host.LibraryPath, host.LibraryPath + "-unmounted");
        using (var ready = await host.Client.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var reason = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("reason").GetString();
            Assert.Equal($"libraries: library 'lib': folder {host.LibraryPath} is missing", reason);
        }

        using (var live = await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        Directory.Move(host.LibraryPath + "-unmounted", host.LibraryPath);
        using var back = await host.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    [Fact]
    public async Task Cleanup_SkipsALibraryWhoseFolderIsMissing_EvenWhenForced_AndSaysSo()
    {
        using var f = RoomyCache();
        for (var i = 0; i < 3; i++)
        {
            var source = Images.WriteSolidJpeg(Path.Combine(f.Library, $"{i}.jpg"), 64 + i, 48, (byte)i, 0, 0);
            await f.Cache.Service.GetAsync(source, Grid, Tessera.Core.Presets.OutputFormat.WebP, default);
        }

        Directory.Move(f.Library, f.Library + "-unmounted");
        var result = await f.Cache.Cleanup.RunAsync(new CleanupOptions { Force = true }, default);
        Directory.Move(f.Library + "-unmounted", f.Library);

        Assert.Equal($"library 'lib': folder {f.Library} is missing; 3 of its sources left alone", Assert.Single(result.SkippedLibraries));
        Assert.Equal(CleanupCount.None, result.DeletedSources);
        Assert.Equal(0, result.Fingerprints);
        Assert.Equal(3, (await f.Cache.StatsAsync(default)).Renditions);
    }
}
