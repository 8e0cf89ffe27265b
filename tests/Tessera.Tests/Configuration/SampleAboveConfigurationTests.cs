using Microsoft.Extensions.Configuration;
using Tessera.Core.Configuration;
using Tessera.Core.Sources;
using Tessera.Tests.Support;

namespace Tessera.Tests.Configuration;

/// <summary>Sources:SampleAbove: the size above which files are identified by a sampled content id.</summary>
public sealed class SampleAboveConfigurationTests
{
    private static Tessera.Core.TesseraOptions Read(params (string Key, string Value)[] pairs) => TesseraConfiguration.Read(
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))
            .Append(new("Data", "/tmp/d"))).Build());

    [Theory]
    [InlineData(null, 64L << 20)]
    [InlineData("128MB", 128L << 20)]
    [InlineData("1MiB", 1L << 20)]
    [InlineData("off", null)]
    [InlineData("OFF", null)]
    public void SampleAbove_IsASizeOrOff(string? value, long? expected)
    {
        var options = value is null ? Read() : Read(("Sources:SampleAbove", value));
        Assert.Equal(expected, options.Fingerprints.SampleAboveBytes);
    }

    [Theory]
    [InlineData("512KB", "at least 1MiB")]
    [InlineData("huge", "not a size")]
    public void SampleAbove_ABadValue_IsRefusedByName(string value, string why)
    {
        var e = Assert.Throws<TesseraConfigurationException>(() => Read(("Sources:SampleAbove", value)));

        Assert.Equal("Sources:SampleAbove", e.Key);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SampleAbove_ReachesTheFingerprinter()
    {
        var options = Read(("Sources:SampleAbove", "1MB"));
        using var temp = new TempDir();
        options.DataPath = temp.Sub("data");
        using var services = CacheServices.Open(options);
        var path = Path.Combine(temp.Path, "big.bin");
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            file.SetLength(3L << 20);
        }

        var fingerprints = services.Get<Fingerprinter>();
        var id = (await fingerprints.GetAsync(path, default)).ContentHash;

        Assert.StartsWith(SampledContentId.Prefix, id, StringComparison.Ordinal);
        Assert.Equal(1L << 20, fingerprints.BytesRead);
    }
}
