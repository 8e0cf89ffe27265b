using Tessera.Core.Eviction;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Core.Sources;

namespace Tessera.Core;

/// <summary>Everything a Tessera instance is configured with. Bound from configuration by the hosts.</summary>
public sealed class TesseraOptions
{
    /// <summary>The data folder: index, renditions, temp files.</summary>
    public string DataPath { get; set; } = ".data";

    /// <summary>The PostgreSQL connection string of a shared index (Index = postgres:CONNECTION-STRING), or null for the
    /// SQLite index in the data folder (Index = sqlite, the default).</summary>
    public string? PostgresIndex { get; set; }

    /// <summary>Folder libraries by name.</summary>
    public Dictionary<string, string> Libraries { get; } = new(StringComparer.Ordinal);

    /// <summary>Provider URL templates per library ({id}, {role}), tried for /i/ items after their registered
    /// sources. A library listed here with no templates takes registered items only.</summary>
    public Dictionary<string, List<string>> Providers { get; } = new(StringComparer.Ordinal);

    /// <summary>Request headers per provider (ProviderHeaders:NAME:HEADER), e.g. an API key: sent only to the origins of
    /// that provider's templates, never logged or shown (see <see cref="Items.ProviderHeaders"/>).</summary>
    public Dictionary<string, Dictionary<string, string>> ProviderHeaders { get; } = new(StringComparer.Ordinal);

    /// <summary>Upstream catalogs by name (Catalogs:NAME:*): entities synced into the index, their images served as items.</summary>
    public Dictionary<string, Catalog.CatalogOptions> Catalogs { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys for signed /r/ URLs: the first signs, all verify (rotation). Empty disables /r/.</summary>
    public List<string> SigningKeys { get; } = [];

    /// <summary>Sidecar cover names tried in order beside audio, video and PDF items and in folders; "{name}" is the
    /// item's file name without extension. Empty means <see cref="Sources.Chain.SidecarFinder.DefaultNames"/>.</summary>
    public List<string> SidecarNames { get; } = [];

    /// <summary>The preset allow-list; empty means the defaults (thumb, grid, grid2x, detail).</summary>
    public List<Preset> Presets { get; } = [];

    /// <summary>Encodes at once across the process (default: one per core).</summary>
    public int MaxConcurrentEncodes { get; set; } = Environment.ProcessorCount;

    /// <summary>Encodes allowed to wait for a slot before requests get 429.</summary>
    public int MaxQueuedEncodes { get; set; } = 256;

    /// <summary>Estimated peak memory of the decodes running at once (default 768 MiB, for a 2 GB machine); a
    /// decode estimated above it runs alone.</summary>
    public long EncodeMemoryBudget { get; set; } = 768L * 1024 * 1024;

    /// <summary>Longest a generation waits for a slot before the request gets 429 (default 10 s).</summary>
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most encode slots background work (jobs, warm) holds at once (Jobs:MaxShare); null means
    /// max(1, <see cref="MaxConcurrentEncodes"/> − 1), so a live miss always finds a slot that jobs cannot take.</summary>
    public int? JobEncodeShare { get; set; }

    /// <summary>Memory for hot renditions (default 64 MiB).</summary>
    public long HotCacheBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>max-age for item URLs (/t/...), whose content may change; ETag revalidation does the rest.</summary>
    public int ItemMaxAgeSeconds { get; set; } = 60;

    /// <summary>max-age for placeholders, so a fixed source shows up soon.</summary>
    public int PlaceholderMaxAgeSeconds { get; set; } = 300;

    /// <summary>The key admin endpoints (clear, purge) require, sent as X-Api-Key or a Bearer token.
    /// Null disables them. Thumbnails stay public.</summary>
    public string? AdminApiKey { get; set; }

    /// <summary>How often the server writes request counters and access times to the index (Cache:FlushInterval).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A journal larger than this is compacted at the next start that has the index to itself (Journal:CompactAbove).</summary>
    public long JournalCompactAboveBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>The disk budget for renditions and the least-recently-used eviction that keeps it.</summary>
    public BudgetOptions Budget { get; } = new();

    /// <summary>Where renditions live: the data folder (default) or an S3-compatible bucket in front of it.</summary>
    public Storage.StoreOptions Store { get; } = new();

    public PipelineOptions Pipeline { get; } = new();

    public FfmpegOptions Ffmpeg { get; } = new();

    /// <summary>How source files are identified: whole, or sampled above a size (Sources:SampleAbove).</summary>
    public FingerprintOptions Fingerprints { get; } = new();

    /// <summary>How provider images are fetched: timeouts, byte cap, retries, the SSRF guard's allow-lists.</summary>
    public Remote.RemoteOptions Remote { get; } = new();

    /// <summary>How long a downloaded original is used before it is revalidated.</summary>
    public Sources.Chain.RemoteCacheOptions RemoteCache { get; } = new();

    /// <summary>When items that could not be thumbnailed are tried again.</summary>
    public Cache.NegativeCacheOptions Negative { get; } = new();

    /// <summary>Per-client request limits and the bound on provider negatives (Limits:*).</summary>
    public Limits.LimitOptions Limits { get; } = new();

    /// <summary>Background jobs: the engine's concurrency, leases, watchdog and triggers (Jobs:*).</summary>
    public Jobs.JobOptions Jobs { get; } = new();

    /// <summary>How replicas sharing a PostgreSQL index render each key once between them (Replicas:*).</summary>
    public Cache.RenditionLeaseOptions Leases { get; } = new();

    /// <summary>Who may see each library's and catalog's images, and how the app is asked (Access:*, Libraries:NAME:Access).</summary>
    public Access.AccessOptions Access { get; } = new();

    /// <summary>How the server logs: the line format and the access log (Logging:*).</summary>
    public Configuration.LogOptions Logging { get; } = new();

    /// <summary>Whether MapTessera maps the operator's dashboard at / (Dashboard:Enabled): an app that embeds Tessera
    /// and owns / turns it off; the JSON API stays.</summary>
    public bool DashboardEnabled { get; set; } = true;

    public PresetCatalog BuildPresetCatalog() => Presets.Count == 0 ? PresetCatalog.Default : new PresetCatalog(Presets);

    /// <summary>Whether <see cref="Validate"/> has passed (configuration reading validates; composition then does not again).</summary>
    public bool IsValidated { get; private set; }

    /// <summary>Checks the options at start, so mistakes fail loudly before the first request.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataPath))
        {
            throw new ArgumentException("a data folder is required (--data)");
        }

        if (MaxConcurrentEncodes < 1 || MaxQueuedEncodes < 0)
        {
            throw new ArgumentException("MaxConcurrentEncodes must be at least 1 and MaxQueuedEncodes at least 0");
        }

        if (JobEncodeShare is { } share && (share < 1 || share > MaxConcurrentEncodes))
        {
            throw new ArgumentException($"JobEncodeShare must be from 1 to MaxConcurrentEncodes ({MaxConcurrentEncodes})");
        }

        if (Fingerprints.SampleAboveBytes < FingerprintOptions.MinSampleAbove)
        {
            throw new ArgumentException("Fingerprints.SampleAboveBytes must be at least 1 MiB, or null (never sampled)");
        }

        Budget.Validate();
        Remote.Validate();
        Limits.Validate();
        Jobs.Validate();
        Leases.Validate();
        foreach (var (library, templates) in Providers)
        {
            templates.ForEach(t => Items.ProviderTemplates.Validate(library, t));
        }

        Items.ProviderHeaders.Validate(this);
        _ = new Signing.UrlSigner(SigningKeys);
        Access.Validate(this);
        _ = BuildPresetCatalog();
        IsValidated = true;
    }
}
