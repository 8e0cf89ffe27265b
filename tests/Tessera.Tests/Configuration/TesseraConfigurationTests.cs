using Microsoft.Extensions.Configuration;
using Tessera.Core.Configuration;
using Tessera.Core.Presets;

namespace Tessera.Tests.Configuration;

public sealed class TesseraConfigurationTests
{
    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();

    private static IConfiguration Pairs(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void TheIssueExample_GivesLibrariesPresetsAndBudget()
    {
        var options = TesseraConfiguration.Read(Json("""
            {
              "Data": "/tmp/d",
              "Libraries": { "photos": "/srv/photos" },
              "Presets": { "cover": "300x300:webp:80", "grid": "400x400:webp:80" },
              "Cache": { "MaxSize": "2GB" }
            }
            """));

        Assert.Equal("/tmp/d", options.DataPath);
        Assert.Equal("/srv/photos", Assert.Single(options.Libraries).Value);
        Assert.Equal(["cover", "grid"], options.BuildPresetCatalog().All.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.True(options.BuildPresetCatalog().TryGet("cover", out var cover));
        Assert.Equal(new Preset("cover", 300, 300, OutputFormat.WebP, 80), cover);
        Assert.Equal(2L << 30, options.Budget.MaxBytes);
    }

    [Fact]
    public void EverySettingInTheReadmeTable_CanBeSet()
    {
        var o = TesseraConfiguration.Read(Json("""
            {
              "Data": "/tmp/d",
              "Libraries": { "books": "/srv/books" },
              "Presets": { "cover": "300x450:jpeg:85" },
              "Providers": { "books": "https://covers.example.com/{id}.jpg", "app": [] },
              "ProviderHeaders": { "books": { "Authorization": "Bearer b00k5" } },
              "SigningKeys": [ "0123456789abcdef-first", "0123456789abcdef-second" ],
              "Sidecars": [ "cover.jpg", "{name}.png" ],
              "Admin": { "ApiKey": "secret" },
              "Cache": { "MaxSize": "3GB", "MinFreeDisk": "512MB", "EvictionInterval": "10s", "HotSize": "16MB" },
              "Encoding": { "MaxConcurrent": 3, "MaxQueued": 17, "MemoryBudget": "300MB", "MaxQueueWait": "4s", "MaxSourcePixels": 5000000, "MaxInputSize": "64MB",
                            "DecodeTimeout": "12s", "WebPEffort": 5, "AvifEffort": 5, "WorkerPath": "/opt/tessera/tessera" },
              "Http": { "ItemMaxAge": "2m", "PlaceholderMaxAge": 30 },
              "Negative": { "NotFoundRecheck": "6h", "PermanentRecheck": "2d", "TransientBase": "30s", "TransientCap": "1h" },
              "Remote": { "Timeout": "4s", "MaxSize": "5MB", "MaxRetries": 1, "MaxRedirects": 2, "MaxConnectionsPerHost": 8,
                          "MaxRetryAfter": "3s", "UserAgent": "Test/1", "AllowedHosts": [ "*.example.com" ],
                          "AllowedNetworks": "10.0.0.0/8, 192.168.1.0/24", "FreshFor": "12h" },
              "Ffmpeg": { "Path": "/opt/ffmpeg", "ProbePath": "/opt/ffprobe", "Timeout": "7s", "MaxOutputSize": "8MB" },
              "Journal": { "CompactAbove": "3MB" }
            }
            """));

        Assert.Equal(["https://covers.example.com/{id}.jpg"], o.Providers["books"]);
        Assert.Empty(o.Providers["app"]);
        Assert.Equal("Bearer b00k5", o.ProviderHeaders["books"]["Authorization"]);
        Assert.Equal(2, o.SigningKeys.Count);
        Assert.Equal(["cover.jpg", "{name}.png"], o.SidecarNames);
        Assert.Equal("secret", o.AdminApiKey);
        Assert.Equal((3L << 30, 512L << 20, TimeSpan.FromSeconds(10), 16L << 20), (o.Budget.MaxBytes, o.Budget.MinFreeDiskBytes, o.Budget.Interval, o.HotCacheBytes));
        Assert.Equal((3, 17), (o.MaxConcurrentEncodes, o.MaxQueuedEncodes));
        Assert.Equal((300L * 1024 * 1024, TimeSpan.FromSeconds(4)), (o.EncodeMemoryBudget, o.MaxQueueWait));
        Assert.Equal((5_000_000L, 64L << 20, TimeSpan.FromSeconds(12), 5, 5),
            (o.Pipeline.MaxSourcePixels, o.Pipeline.MaxInputBytes, o.Pipeline.DecodeTimeout, o.Pipeline.WebPEffort, o.Pipeline.AvifEffort));
        Assert.Equal("/opt/tessera/tessera", o.Pipeline.WorkerPath);
        Assert.Equal((120, 30), (o.ItemMaxAgeSeconds, o.PlaceholderMaxAgeSeconds));
        Assert.Equal((TimeSpan.FromHours(6), TimeSpan.FromDays(2), TimeSpan.FromSeconds(30), TimeSpan.FromHours(1)),
            (o.Negative.NotFoundRecheck, o.Negative.PermanentRecheck, o.Negative.TransientBase, o.Negative.TransientCap));
        Assert.Equal((TimeSpan.FromSeconds(4), 5L << 20, 1, 2, 8, TimeSpan.FromSeconds(3), "Test/1"),
            (o.Remote.Timeout, o.Remote.MaxBytes, o.Remote.MaxRetries, o.Remote.MaxRedirects, o.Remote.MaxConnectionsPerHost, o.Remote.MaxRetryAfter, o.Remote.UserAgent));
        Assert.Equal(["*.example.com"], o.Remote.AllowedHosts);
        Assert.Equal(["10.0.0.0/8", "192.168.1.0/24"], o.Remote.AllowedNetworks);
        Assert.Equal(TimeSpan.FromHours(12), o.RemoteCache.FreshFor);
        Assert.Equal(("/opt/ffmpeg", "/opt/ffprobe", TimeSpan.FromSeconds(7), 8L << 20),
            (o.Ffmpeg.FfmpegPath, o.Ffmpeg.FfprobePath, o.Ffmpeg.Timeout, o.Ffmpeg.MaxOutputBytes));
        Assert.Equal(3L << 20, o.JournalCompactAboveBytes);
    }

    [Fact]
    public void NothingConfigured_GivesTheDefaults()
    {
        var o = TesseraConfiguration.Read(Pairs(("Data", "/tmp/d")));
        var defaults = new Tessera.Core.TesseraOptions();
        Assert.Equal((defaults.Budget.MaxBytes, defaults.MaxConcurrentEncodes, defaults.ItemMaxAgeSeconds), (o.Budget.MaxBytes, o.MaxConcurrentEncodes, o.ItemMaxAgeSeconds));
        Assert.Equal(PresetCatalog.Defaults.Select(p => p.Name), o.BuildPresetCatalog().All.Select(p => p.Name));
    }

    [Theory]
    [InlineData(null, 512L << 20)] // default: 25% of the 2 GiB budget
    [InlineData("10%", 2L << 30)]
    [InlineData("300MB", 300L << 20)]
    [InlineData("0", 0L)]
    public void EvictionFloor_IsASizeOrAShareOfTheBudget(string? value, long expected)
    {
        var pairs = value is null ? [("Data", "/tmp/d")] : new[] { ("Data", "/tmp/d"), ("Cache:EvictionFloor", value), ("Cache:MaxSize", "20GB") };
        Assert.Equal(expected, TesseraConfiguration.Read(Pairs(pairs)).Budget.FloorBytes);
    }

    [Theory]
    [InlineData("Cache:MaxSize", "lots", "not a size")]
    [InlineData("Cache:EvictionInterval", "soon", "not a duration")]
    [InlineData("Encoding:MaxConcurrent", "0", "from 1 to 1024")]
    [InlineData("Encoding:WebPEffort", "9", "from 0 to 6")]
    [InlineData("Presets:cover", "300:webp", "WIDTHxHEIGHT")]
    [InlineData("Presets:cover", "300x300:gif", "unknown format")]
    [InlineData("Providers:books", "ftp://example.com/{id}", "not an absolute http(s) URL")]
    [InlineData("SigningKeys", "short", "at least 16 bytes")]
    [InlineData("Remote:MaxRetries", "99", "from 0 to 20")]
    [InlineData("Remote:AllowedNetworks", "not-a-network", "not a CIDR")]
    [InlineData("Libraries:bad name", "/srv", "library name")]
    [InlineData("Cache:EvictionFloor", "120%", "share from 0% to 100%")]
    [InlineData("Cache:EvictionFloor", "some", "not a size")]
    [InlineData("Journal:CompactAbove", "big", "not a size")]
    public void ABadValue_NamesItsKeyAndWhy(string key, string value, string why)
    {
        var e = Assert.Throws<TesseraConfigurationException>(() => TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"), (key, value))));
        Assert.StartsWith(key.Split(':')[0], e.Key, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("30d", 30 * 24 * 3600.0)]
    [InlineData("12h", 12 * 3600.0)]
    [InlineData("45m", 45 * 60.0)]
    [InlineData("30s", 30.0)]
    [InlineData("1.5s", 1.5)]
    [InlineData("500ms", 0.5)]
    [InlineData("00:01:30", 90.0)]
    public void Durations_Parse(string text, double seconds) => Assert.Equal(seconds, Duration.Parse(text).TotalSeconds, 6);

    [Theory]
    [InlineData("30x")]
    [InlineData("-5m")]
    [InlineData("0s")]
    [InlineData("m")]
    public void BadDurations_AreRefused(string text) => Assert.Throws<FormatException>(() => Duration.Parse(text));
}
