using Microsoft.Extensions.Configuration;
using Tessera.Core.Configuration;
using Tessera.Tests.Cli;
using Tessera.Tests.Support;

namespace Tessera.Tests.Configuration;

/// <summary>ProviderHeaders:NAME:HEADER from the file, the environment and --provider-header; mistakes are named by key
/// and provider, never by the value (it is a secret).</summary>
public sealed class ProviderHeaderConfigurationTests
{
    private const string Secret = "PROVIDER-HEADER-SECRET-91";

    private static IConfiguration Pairs(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void Headers_AreReadPerProvider()
    {
        var o = TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"), ("Providers:stash:0", "http://stash:9999/scene/{id}/screenshot"),
            ("ProviderHeaders:stash:ApiKey", Secret), ("ProviderHeaders:stash:X-Client", "tessera")));

        Assert.Equal(Secret, o.ProviderHeaders["stash"]["ApiKey"]);
        Assert.Equal("tessera", o.ProviderHeaders["stash"]["x-client"]); // header names are case-insensitive
    }

    [Theory]
    [InlineData("nope", "ApiKey", "ProviderHeaders:nope")] // no such provider
    [InlineData("stash", "Api Key", "ProviderHeaders:stash")] // not a header name
    public void AMistake_NamesTheKey_NotTheValue(string provider, string header, string key)
    {
        var e = Assert.Throws<TesseraConfigurationException>(() => TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"),
            ("Providers:stash:0", "http://stash:9999/scene/{id}/screenshot"), ($"ProviderHeaders:{provider}:{header}", Secret))));

        Assert.StartsWith(key, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stash=ApiKey" + Secret)] // no colon
    [InlineData("nope=ApiKey:" + Secret)] // no such provider
    [InlineData("stash=ApiKey:" + Secret + "\r\nX-Evil: 1")] // a line break
    public async Task TheFlag_IsCheckedAtStart_AndItsErrorNeverQuotesTheValue(string spec)
    {
        using var temp = new TempDir();
        var (code, stdout, stderr) = await CliRunner.RunAsync("serve", "--data", temp.Sub("data"), "--urls", "http://127.0.0.1:0",
            "--provider", "stash=http://127.0.0.1:9/scene/{id}.jpg", "--provider-header", spec);

        Assert.Equal(2, code);
        Assert.Contains("provider", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEnvironment_SetsAHeader_LikeEverySetting()
    {
        using var temp = new TempDir();
        var environment = new Dictionary<string, string> { ["TESSERA__ProviderHeaders__nope__ApiKey"] = Secret };
        var (code, stdout, stderr) = await CliRunner.RunWithEnvironmentAsync(environment, "serve", "--data", temp.Sub("data"), "--urls", "http://127.0.0.1:0",
            "--provider", "stash=http://127.0.0.1:9/scene/{id}.jpg");

        Assert.Equal(2, code); // read from the environment: a header for a provider that does not exist
        Assert.Contains("ProviderHeaders:nope", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);
    }
}
