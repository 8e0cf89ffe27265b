using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Cache;
using Tessera.Core.Configuration;

namespace Tessera.Tests.Configuration;

public sealed class ReplicaConfigurationTests
{
    private static Tessera.Core.TesseraOptions Read(params (string Key, string Value)[] pairs) => TesseraConfiguration.Read(
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))
            .Append(new("Data", "/tmp/d"))).Build());

    [Fact]
    public void ReplicaLeaseSettings_DefaultTo30sAnd60s_AndAreRead()
    {
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)), (Read().Leases.LeaseTime, Read().Leases.MaxWait));

        var options = Read(("Replicas:LeaseTime", "5s"), ("Replicas:MaxWait", "2m"));

        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2)), (options.Leases.LeaseTime, options.Leases.MaxWait));
    }

    [Theory]
    [InlineData("Replicas:LeaseTime", "500ms", "at least 1s")]
    [InlineData("Replicas:LeaseTime", "soon", "Replicas:LeaseTime")]
    [InlineData("Replicas:MaxWait", "long", "Replicas:MaxWait")]
    public void ABadLeaseSetting_IsRefusedByName(string key, string value, string why)
    {
        var e = Assert.Throws<TesseraConfigurationException>(() => Read((key, value)));

        Assert.Equal(key, e.Key);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnOneProcess_TheLeasingRendersAtOnce_WithoutLookingForAnotherReplicasResult()
    {
        var options = Read();
        var services = new ServiceCollection().AddLogging();
        Tessera.Core.TesseraServiceCollectionExtensions.AddTesseraCore(services, options);
        using var provider = services.BuildServiceProvider();

        var leasing = provider.GetRequiredService<RenditionLeasing>();

        Assert.Equal("rendered", await leasing.RunAsync<string>("k",
            () => throw new InvalidOperationException("one process never looks for another's result"), () => Task.FromResult("rendered")));
    }
}
