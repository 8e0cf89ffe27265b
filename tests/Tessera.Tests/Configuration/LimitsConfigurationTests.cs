using Microsoft.Extensions.Configuration;
using Tessera.Core.Configuration;

namespace Tessera.Tests.Configuration;

/// <summary>Limits:* and Remote pacing keys: read, defaulted, and a bad value named.</summary>
public sealed class LimitsConfigurationTests
{
    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();

    [Fact]
    public void TheLimitKeys_AreRead()
    {
        var o = TesseraConfiguration.Read(Json("""
            {
              "Data": "/tmp/d",
              "Limits": { "MissesPerMinute": 120, "ApiPerMinute": 0, "TrustedProxies": "10.0.0.0/8, 192.168.1.2", "ProviderNegatives": 500 },
              "Remote": { "HostRequestsPerMinute": { "api.discogs.com": 60 }, "MaxPaceWait": "3s" }
            }
            """));

        Assert.Equal(120, o.Limits.MissesPerMinute);
        Assert.Equal(0, o.Limits.ApiPerMinute);
        Assert.Equal(["10.0.0.0/8", "192.168.1.2"], o.Limits.TrustedProxies);
        Assert.Equal(500, o.Negative.MaxProviderEntries);
        Assert.Equal(60, o.Remote.HostRequestsPerMinute["API.discogs.com"]);
        Assert.Equal(TimeSpan.FromSeconds(3), o.Remote.MaxPaceWait);
    }

    [Fact]
    public void WithoutKeys_TheDefaultsHold()
    {
        var o = TesseraConfiguration.Read(Json("""{ "Data": "/tmp/d" }"""));

        Assert.Equal((600, 600, 10_000), (o.Limits.MissesPerMinute, o.Limits.ApiPerMinute, o.Negative.MaxProviderEntries));
        Assert.Empty(o.Limits.TrustedProxies);
        Assert.Empty(o.Remote.HostRequestsPerMinute);
        Assert.Equal(TimeSpan.FromSeconds(10), o.Remote.MaxPaceWait);
    }

    [Theory]
    [InlineData("Limits:MissesPerMinute", "-1", "from 0 to")]
    [InlineData("Limits:TrustedProxies", "proxy.local", "not a CIDR")]
    [InlineData("Remote:HostRequestsPerMinute:api.discogs.com", "many", "Remote:HostRequestsPerMinute")]
    [InlineData("Remote:MaxPaceWait", "1h", "MaxPaceWait")]
    public void ABadValue_NamesItsKey(string key, string value, string why)
    {
        var pairs = new Dictionary<string, string?> { ["Data"] = "/tmp/d", [key] = value };
        var e = Assert.Throws<TesseraConfigurationException>(() => TesseraConfiguration.Read(new ConfigurationBuilder().AddInMemoryCollection(pairs).Build()));
        Assert.Contains(why, e.Key + " " + e.Message, StringComparison.Ordinal);
        Assert.StartsWith(key.Split(':')[0], e.Key, StringComparison.Ordinal);
    }
}
