using System.Globalization;
using System.Text.RegularExpressions;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http;

public sealed partial class MetricsTests
{
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|\+Inf|NaN)$")]
    private static partial Regex Sample();

    [Fact]
    public async Task Metrics_AreValidPrometheusText_AndCountWhatHappened()
    {
        await using var host = await TesseraHost.StartAsync(root =>
        {
            Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 800, 600);
            Images.WriteSolidJpeg(Path.Combine(root, "lib", "b.jpg"), 600, 800, 1, 2, 3);
            File.WriteAllText(Path.Combine(root, "lib", "broken.jpg"), "not a jpeg");
        });
        foreach (var path in new[] { "a.jpg", "b.jpg", "a.jpg", "a.jpg", "missing.jpg", "broken.jpg", "broken.jpg" })
        {
            using var _ = await host.Client.GetAsync(new Uri($"/t/lib/grid/{path}", UriKind.Relative));
        }

        using var response = await host.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var typed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                typed.Add(line.Split(' ')[2]);
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var m = Sample().Match(line);
            Assert.True(m.Success, $"not a Prometheus sample: {line}");
            Assert.Contains(typed, t => m.Groups["name"].Value.StartsWith(t, StringComparison.Ordinal));
            samples[m.Groups["name"].Value + (m.Groups["labels"].Success ? "{" + m.Groups["labels"].Value + "}" : "")] =
                double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        Assert.Equal(2, samples["tessera_requests_total{outcome=\"miss\"}"]);
        Assert.Equal(2, samples["tessera_requests_total{outcome=\"hit\"}"]);
        Assert.Equal(3, samples["tessera_requests_total{outcome=\"placeholder\"}"]);
        Assert.Equal(2, samples["tessera_generation_duration_seconds_count"]); // failed decodes are not generations
        Assert.Equal(2, samples["tessera_generation_duration_seconds_bucket{le=\"+Inf\"}"]);
        var buckets = samples.Where(kv => kv.Key.StartsWith("tessera_generation_duration_seconds_bucket", StringComparison.Ordinal)).Select(kv => kv.Value).ToList();
        Assert.Equal(buckets.Order(), buckets); // cumulative
        Assert.True(samples["tessera_generation_duration_seconds_sum"] > 0);
        Assert.Equal(2, samples["tessera_renditions"]);
        Assert.True(samples["tessera_cache_bytes"] > 0);
        Assert.Equal(0, samples["tessera_queue_depth{priority=\"live\"}"]);
        Assert.Equal(0, samples["tessera_queue_depth{priority=\"background\"}"]);
        Assert.Equal(0, samples["tessera_encodes_running{priority=\"background\"}"]);
        Assert.Equal(0, samples["tessera_evictions_total"]);
        Assert.Equal(0, samples["tessera_requests_total{outcome=\"error\"}"]);
        Assert.Equal(1, samples["tessera_requests_total{outcome=\"negative\"}"]); // the second broken.jpg
    }
}
