namespace Tessera.Core.Catalog;

/// <summary>One configured catalog (Catalogs:NAME:*): which upstream, where, with which key, how fast to ask it and how
/// often to poll it. The key never leaves the server.</summary>
public sealed class CatalogOptions
{
    public static readonly TimeSpan MinPollInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromMinutes(120);

    public required string Name { get; init; }

    /// <summary>The upstream's kind (Catalogs:NAME:Kind); only <c>stash</c> today.</summary>
    public string Kind { get; set; } = "stash";

    /// <summary>The upstream's base URL (Catalogs:NAME:Url).</summary>
    public Uri? Url { get; set; }

    /// <summary>The upstream's API key (Catalogs:NAME:ApiKey); sent to the upstream only.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Entities per page a sync asks for (Catalogs:NAME:PerPage).</summary>
    public int PerPage { get; set; } = DefaultPerPage;

    public const int DefaultPerPage = 500;

    /// <summary>Whether browsing is open without the admin key (Catalogs:NAME:Public).</summary>
    public bool Public { get; set; }

    /// <summary>The least time between two requests to the upstream (Catalogs:NAME:Pace); zero: no pause.</summary>
    public TimeSpan Pace { get; set; } = TimeSpan.Zero;

    /// <summary>How often a smart sync is queued (Catalogs:NAME:PollInterval; 5–120 minutes).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>Whether a smart sync is also queued on each of the upstream's scan-complete events (Catalogs:NAME:Subscribe;
    /// Stash's <c>scanCompleteSubscribe</c> over its websocket), polling staying the fallback.</summary>
    public bool Subscribe { get; set; } = true;

    public override string ToString() => $"{Name}={Kind}:{Url}";
}
