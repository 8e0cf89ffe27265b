using Microsoft.Extensions.Configuration;
using Tessera.Core.Configuration;

namespace Tessera.Tests.Configuration;

public sealed class IndexConfigurationTests
{
    private static IConfiguration Pairs(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void ByDefault_AndAsSqlite_TheIndexIsTheFileInTheDataFolder()
    {
        Assert.Null(TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"))).PostgresIndex);
        Assert.Null(TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"), ("Index", "sqlite"))).PostgresIndex);
    }

    [Fact]
    public void Postgres_TakesTheConnectionStringAfterThePrefix()
    {
        var options = TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"), ("Index", "postgres:Host=db;Database=tessera;Username=t;Password=p:w")));
        Assert.Equal("Host=db;Database=tessera;Username=t;Password=p:w", options.PostgresIndex);
    }

    [Theory]
    [InlineData("mysql:Host=secret-host")]
    [InlineData("postgres:")]
    public void AnythingElse_IsRefusedNamingTheKey_WithoutEchoingAConnectionString(string value)
    {
        var e = Assert.Throws<TesseraConfigurationException>(() => TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"), ("Index", value))));
        Assert.Equal("Index", e.Key);
        Assert.Contains("postgres:CONNECTION-STRING", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-host", e.Message, StringComparison.Ordinal);
    }
}
