using Microsoft.Extensions.Configuration;
using Tessera.Core.Configuration;

namespace Tessera.Tests.Configuration;

public sealed class CatalogConfigurationTests
{
    private static Tessera.Core.TesseraOptions Read(params (string Key, string Value)[] values) =>
        TesseraConfiguration.Read(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    [Fact]
    public void ACatalog_ReadsFromItsKeys_OrFromTheFlagsShorthand_WithDefaults()
    {
        var options = Read(("Catalogs:stash", "stash:http://stash:9999"), ("Catalogs:stash:ApiKey", "k"), ("Catalogs:other:Url", "https://o.example"),
            ("Catalogs:other:PerPage", "100"), ("Catalogs:other:Pace", "200ms"), ("Catalogs:other:PollInterval", "5m"), ("Catalogs:other:Public", "true"),
            ("Catalogs:other:Subscribe", "false"));

        var stash = options.Catalogs["stash"];
        Assert.Equal(new Uri("http://stash:9999"), stash.Url);
        Assert.Equal("k", stash.ApiKey);
        Assert.Equal(TimeSpan.FromMinutes(60), stash.PollInterval);
        Assert.Equal(500, stash.PerPage);
        Assert.True(stash.Subscribe);
        var other = options.Catalogs["other"];
        Assert.Equal("stash", other.Kind);
        Assert.Equal((100, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(5), true), (other.PerPage, other.Pace, other.PollInterval, other.Public));
        Assert.False(other.Subscribe);
    }

    [Theory]
    [InlineData("Catalogs:s:PollInterval", "4m", "Catalogs:s:PollInterval")]
    [InlineData("Catalogs:s:PollInterval", "121m", "Catalogs:s:PollInterval")]
    [InlineData("Catalogs:s:Kind", "jellyfin", "Catalogs:s:Kind")]
    [InlineData("Catalogs:s:Url", "ftp://x", "Catalogs:s:Url")]
    [InlineData("Catalogs:s:PerPage", "0", "Catalogs:s:PerPage")]
    [InlineData("Catalogs:s:Subscribe", "sometimes", "Catalogs:s:Subscribe")]
    public void ABadCatalogSetting_IsRefused_NamingItsKey(string key, string value, string named)
    {
        var values = new List<(string, string)> { (key, value) };
        if (!key.EndsWith(":Url", StringComparison.Ordinal))
        {
            values.Add(("Catalogs:s:Url", "http://stash:9999"));
        }

        var e = Assert.Throws<TesseraConfigurationException>(() => Read([.. values]));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }
}
