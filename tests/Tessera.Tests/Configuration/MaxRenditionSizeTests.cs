using Microsoft.Extensions.Configuration;
using Tessera.Core.Configuration;
using Tessera.Core.Pipeline;

namespace Tessera.Tests.Configuration;

/// <summary>Encoding:MaxRenditionSize, the size guard's byte cap.</summary>
public sealed class MaxRenditionSizeTests
{
    private static IConfiguration Pairs(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void MaxRenditionSize_DefaultsTo2MiB_AndCanBeSet()
    {
        Assert.Equal(2L << 20, TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"))).Pipeline.MaxRenditionBytes);
        Assert.Equal(300L << 10, TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"), ("Encoding:MaxRenditionSize", "300KB"))).Pipeline.MaxRenditionBytes);
        Assert.Equal(new PipelineOptions().MaxRenditionBytes, TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"))).Pipeline.MaxRenditionBytes);
    }

    [Theory]
    [InlineData("lots", "not a size")]
    [InlineData("0", "not a size")]
    public void ABadMaxRenditionSize_NamesItsKey(string value, string why)
    {
        var e = Assert.Throws<TesseraConfigurationException>(() =>
            TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"), ("Encoding:MaxRenditionSize", value))));
        Assert.Contains("MaxRenditionSize", e.Key, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }
}
