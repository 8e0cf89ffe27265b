using System.Net;
using System.Text.Json;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Http;

/// <summary>The size guard through the real server: an oversized rendition is never stored or served, the answer
/// is a too-large placeholder saying why, and /api/stats and /metrics count it.</summary>
public sealed class OversizedRenditionTests
{
    [Fact]
    public async Task APngPresetOfANoisyJpeg_GetsATooLargePlaceholder_NothingStored_AndIsCounted()
    {
        var jpeg = NoiseImages.Encoded(500, 500, ImageFormat.Jpeg, 75);
        await using var host = await TesseraHost.StartAsync(
            root => File.WriteAllBytes(Path.Combine(root, "lib", "noise.jpg"), jpeg),
            o =>
            {
                o.Presets.AddRange([new Preset("huge", 2000, 2000, OutputFormat.Png), new Preset("grid", 400, 400)]);
                o.AdminApiKey = TesseraHost.AdminKey;
            });

        using (var response = await host.Client.GetAsync(new Uri("/t/lib/huge/noise.jpg", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("too-large", HttpAssert.Header(response, "X-Tessera-Placeholder"));
            Assert.Contains($"original {jpeg.Length} bytes", HttpAssert.Header(response, "X-Tessera-Detail"), StringComparison.Ordinal);
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length < jpeg.Length, "the placeholder itself is small");
        }

        var renditions = Path.Combine(host.Root, "data", "renditions");
        Assert.Empty(Directory.Exists(renditions) ? Directory.GetFiles(renditions, "*.png", SearchOption.AllDirectories) : []);

        using (var grid = await host.Client.GetAsync(new Uri("/t/lib/grid/noise.jpg", UriKind.Relative)))
        {
            Assert.Null(HttpAssert.Header(grid, "X-Tessera-Placeholder")); // the item is not negative: other presets fit
            Assert.Equal("image/webp", grid.Content.Headers.ContentType?.MediaType);
        }

        using (var stats = await host.GetAsAdminAsync("/api/stats"))
        {
            using var json = JsonDocument.Parse(await stats.Content.ReadAsStringAsync());
            Assert.Equal(1, json.RootElement.GetProperty("oversized").GetInt64());
        }

        using var metrics = await host.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("tessera_oversized_total 1", (await metrics.Content.ReadAsStringAsync()).Split('\n'));
    }
}
