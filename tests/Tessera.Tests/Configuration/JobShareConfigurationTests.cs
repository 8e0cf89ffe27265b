using Microsoft.Extensions.Configuration;
using Tessera.Core.Configuration;
using Tessera.Tests.Support;

namespace Tessera.Tests.Configuration;

public sealed class JobShareConfigurationTests
{
    private static Tessera.Core.TesseraOptions Read(params (string Key, string Value)[] pairs) => TesseraConfiguration.Read(
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))
            .Append(new("Data", "/tmp/d"))).Build());

    [Fact]
    public void JobsMaxShare_IsReadAndReachesTheLimiter()
    {
        var options = Read(("Encoding:MaxConcurrent", "4"), ("Jobs:MaxShare", "2"));
        using var temp = new TempDir();
        options.DataPath = temp.Path;
        using var services = CacheServices.Open(options);

        Assert.Equal(2, options.JobEncodeShare);
        Assert.Equal(2, services.Limiter.BackgroundShare);
    }

    [Fact]
    public void JobsMaxShare_DefaultsToEverySlotButOne()
    {
        var options = Read(("Encoding:MaxConcurrent", "3"));
        using var temp = new TempDir();
        options.DataPath = temp.Path;
        using var services = CacheServices.Open(options);

        Assert.Null(options.JobEncodeShare);
        Assert.Equal(2, services.Limiter.BackgroundShare);
    }

    [Theory]
    [InlineData("5", "at most Encoding:MaxConcurrent (4)")]
    [InlineData("0", "from 1 to 1024")]
    [InlineData("many", "from 1 to 1024")]
    public void JobsMaxShare_PastTheSlots_IsRefusedByName(string value, string why)
    {
        var e = Assert.Throws<TesseraConfigurationException>(() => Read(("Encoding:MaxConcurrent", "4"), ("Jobs:MaxShare", value)));

        Assert.Equal("Jobs:MaxShare", e.Key);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }
}
