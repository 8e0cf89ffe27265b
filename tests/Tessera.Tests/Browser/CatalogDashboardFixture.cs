using Tessera.Core.Catalog;
using Tessera.Tests.Http;
using Tessera.Tests.Http.Jobs;
using Tessera.Tests.Support.StashStandIn;

namespace Tessera.Tests.Browser;

/// <summary>A browser and a real server with catalog "stash" on the loopback Stash stand-in (its default data set),
/// jobs on: the server's start-up smart sync fills the catalog.</summary>
public sealed class CatalogDashboardFixture : IAsyncLifetime
{
    public const string Name = "stash";

    public Browser Browser { get; private set; } = null!;

    public StashStandIn Stash { get; private set; } = null!;

    public TesseraHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stash = await StashStandIn.StartAsync();
        Host = await TesseraHost.StartAsync(_ => { }, o =>
        {
            JobApi.Configure(o);
            o.Catalogs[Name] = new CatalogOptions { Name = Name, Url = Stash.BaseAddress, ApiKey = Stash.ApiKey };
        });
        Browser = new Browser();
    }

    public async Task DisposeAsync()
    {
        Browser?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (Stash is not null)
        {
            await Stash.DisposeAsync();
        }
    }
}
