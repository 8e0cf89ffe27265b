using Microsoft.Extensions.Configuration;
using Tessera.Core.Configuration;

namespace Tessera.Tests.Configuration;

public sealed class DashboardConfigurationTests
{
    private static Tessera.Core.TesseraOptions Read(params (string Key, string Value)[] pairs) => TesseraConfiguration.Read(
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))
            .Append(new("Data", "/tmp/d"))).Build());

    [Fact]
    public void TheDashboard_IsOnByDefault() => Assert.True(Read().DashboardEnabled);

    [Fact]
    public void DashboardEnabled_IsRead() => Assert.False(Read(("Dashboard:Enabled", "false")).DashboardEnabled);

    [Fact]
    public void ABadDashboardEnabled_NamesItsKey()
    {
        var e = Assert.Throws<TesseraConfigurationException>(() => Read(("Dashboard:Enabled", "perhaps")));
        Assert.Contains("Dashboard:Enabled", e.Message, StringComparison.Ordinal);
    }
}
