using Microsoft.Extensions.Logging;
using Tessera.Core.Catalog.Stash;

namespace Tessera.Core.Catalog;

/// <summary>The upstream adapters by kind: a configured catalog's <see cref="IUpstream"/>.</summary>
public static class UpstreamFactories
{
    /// <summary>The kinds an adapter exists for (<c>Catalogs:NAME:Kind</c>).</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["stash"];

    public static IUpstream Create(CatalogOptions catalog, TimeProvider clock, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(loggers);
        return catalog.Kind switch
        {
#pragma warning disable CA2000 // the upstream owns its client for the life of the process
            "stash" => new StashUpstream(new HttpClient { Timeout = Timeout.InfiniteTimeSpan },
                new StashOptions { Url = catalog.Url!, ApiKey = catalog.ApiKey, Pace = catalog.Pace }, clock, loggers.CreateLogger<StashUpstream>()),
#pragma warning restore CA2000
            _ => throw new ArgumentException($"no upstream adapter for kind '{catalog.Kind}'", nameof(catalog)),
        };
    }
}
