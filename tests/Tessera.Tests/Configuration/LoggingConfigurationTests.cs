using Microsoft.Extensions.Configuration;
using Tessera.Core.Configuration;

namespace Tessera.Tests.Configuration;

public sealed class LoggingConfigurationTests
{
    private static Tessera.Core.TesseraOptions Read(params (string Key, string Value)[] pairs) => TesseraConfiguration.Read(
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))
            .Append(new("Data", "/tmp/d"))).Build());

    [Fact]
    public void Logging_DefaultsToAutoFormat_AndNoAccessLog()
    {
        var options = Read();
        Assert.Equal(LogFormat.Auto, options.Logging.Format);
        Assert.False(options.Logging.AccessLog);
    }

    [Theory]
    [InlineData("json", LogFormat.Json)]
    [InlineData("SYSTEMD", LogFormat.Systemd)]
    [InlineData("simple", LogFormat.Simple)]
    public void LoggingFormat_IsRead(string text, LogFormat expected) =>
        Assert.Equal(expected, Read(("Logging:Format", text)).Logging.Format);

    [Fact]
    public void LoggingAccessLog_IsRead() => Assert.True(Read(("Logging:AccessLog", "true")).Logging.AccessLog);

    [Theory]
    [InlineData("Logging:Format", "xml")]
    [InlineData("Logging:AccessLog", "sometimes")]
    public void BadLoggingValue_NamesItsKey(string key, string value)
    {
        var e = Assert.Throws<TesseraConfigurationException>(() => Read((key, value)));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }
}
