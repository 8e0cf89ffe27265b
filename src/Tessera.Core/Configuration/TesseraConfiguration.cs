using Microsoft.Extensions.Configuration;
using Tessera.Core.Presets;

namespace Tessera.Core.Configuration;

/// <summary>Turns configuration (defaults &lt; JSON file &lt; TESSERA__ environment variables &lt; command-line flags, layered
/// by the host) into validated <see cref="TesseraOptions"/>. Every key is listed in the README's configuration table;
/// a bad value throws <see cref="TesseraConfigurationException"/> naming the key.</summary>
public static class TesseraConfiguration
{
    /// <summary>Reads and validates the options. Validation happens here, once.</summary>
    public static TesseraOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var root = new SettingReader(configuration, string.Empty);
        var options = new TesseraOptions();
        if (root.String("Data") is { } data)
        {
            options.DataPath = data;
        }

        ReadIndex(root, options);
        ReadLibraries(root, options);
        ReadPresets(root, options);
        ReadProviders(root, options);
        CatalogSettings.Read(root, options);
        ReadSigning(root, options);
        ReadAccess(root, options);
        options.SidecarNames.AddRange(root.List("Sidecars"));
        options.AdminApiKey = root.Section("Admin").String("ApiKey");
        ReadCache(root.Section("Cache"), options);
        StoreSettings.Read(root.Section("Store"), options.Store);
        ReadEncoding(root.Section("Encoding"), options);
        ReadJobs(root.Section("Jobs"), options);
        ReadHttp(root.Section("Http"), options);
        ReadNegative(root.Section("Negative"), options);
        ReadRemote(root.Section("Remote"), options);
        ReadLimits(root.Section("Limits"), options.Limits);
        root.Section("Limits").Int("ProviderNegatives", 0, 100_000_000, v => options.Negative.MaxProviderEntries = v);
        ReadFfmpeg(root.Section("Ffmpeg"), options);
        ReadSources(root.Section("Sources"), options.Fingerprints);
        root.Section("Journal").Size("CompactAbove", v => options.JournalCompactAboveBytes = v);
        ReadJobs(root.Section("Jobs"), options.Jobs);
        ReadReplicas(root.Section("Replicas"), options.Leases);
        ReadLogging(root.Section("Logging"), options.Logging);
        root.Section("Dashboard").Bool("Enabled", v => options.DashboardEnabled = v);
        try
        {
            options.Validate();
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new TesseraConfigurationException(KeyOf(e.Message), Reason(e.Message));
        }

        return options;
    }

    /// <summary>Index = sqlite (the file in the data folder) or postgres:CONNECTION-STRING (a shared PostgreSQL index).</summary>
    private static void ReadIndex(SettingReader root, TesseraOptions options)
    {
        const string Postgres = "postgres:";
        if (root.String("Index") is not { } index || index.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        root.Require(index.StartsWith(Postgres, StringComparison.OrdinalIgnoreCase) && index.Length > Postgres.Length, "Index",
            $"'{(index.Contains('=', StringComparison.Ordinal) ? "(a connection string)" : index)}' is not sqlite or postgres:CONNECTION-STRING, " +
            "e.g. postgres:Host=db;Database=tessera;Username=tessera;Password=…");
        options.PostgresIndex = index[Postgres.Length..];
    }

    private static void ReadLibraries(SettingReader root, TesseraOptions options)
    {
        var libraries = root.Section("Libraries");
        foreach (var name in root.Names("Libraries"))
        {
            libraries.Require(IsName(name), name, "a library name must be letters, digits, '-', '_' or '.'");
            // Libraries:NAME = "/srv/photos", or an object {"Path": …, "Access": …}; Access alone sets a provider library's
            // or a catalog's access.
            var entry = libraries.Section(name);
            var path = libraries.String(name) ?? entry.String("Path");
            var access = entry.String("Access");
            libraries.Require(path is not null || access is not null, name, "expected the library's folder, e.g. \"/srv/photos\"");
            if (path is not null)
            {
                options.Libraries[name] = path;
            }

            if (access is not null)
            {
                entry.Require(Access.AccessOptions.TryParseMode(access, out var mode), "Access", $"'{access}' is not public, signed or forward");
                options.Access.Modes[name] = mode;
            }
        }
    }

    private static void ReadLogging(SettingReader logging, LogOptions options)
    {
        if (logging.String("Format") is { } text)
        {
            logging.Require(LogOptions.TryParse(text, out var format), "Format", $"'{text}' is not auto, simple, systemd or json");
            options.Format = format;
        }

        logging.Bool("AccessLog", v => options.AccessLog = v);
    }

    private static void ReadAccess(SettingReader root, TesseraOptions options)
    {
        var access = root.Section("Access");
        if (access.String("AuthUrl") is { } url)
        {
            access.Require(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https", "AuthUrl",
                $"'{url}' is not an absolute http(s) URL");
            options.Access.AuthUrl = uri;
        }

        if (access.String("AuthCache") is "0")
        {
            options.Access.AuthCache = TimeSpan.Zero;
        }
        else
        {
            access.Duration("AuthCache", v => options.Access.AuthCache = v);
        }

        access.Require(options.Access.AuthCache >= TimeSpan.Zero && options.Access.AuthCache <= TimeSpan.FromHours(1), "AuthCache", "must be from 0 to 1h");
        access.Duration("AuthTimeout", v => options.Access.AuthTimeout = v);
        access.Require(options.Access.AuthTimeout > TimeSpan.Zero && options.Access.AuthTimeout <= TimeSpan.FromMinutes(1), "AuthTimeout", "must be more than 0 and at most 1m");
        access.Duration("ManifestExpiry", v => options.Access.ManifestExpiry = v);
        access.Require(options.Access.ManifestExpiry >= TimeSpan.FromMinutes(1) && options.Access.ManifestExpiry <= TimeSpan.FromDays(7), "ManifestExpiry", "must be from 1m to 7d");
        access.Int("AuthCacheEntries", 1, 10_000_000, v => options.Access.AuthCacheEntries = v);
        if (access.String("UserHeader") is { } header)
        {
            access.Require(header.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'), "UserHeader", $"'{header}' is not a header name");
            options.Access.UserHeader = header;
        }

        var libraries = root.Section("Libraries");
        foreach (var (name, mode) in options.Access.Modes)
        {
            var known = options.Libraries.ContainsKey(name) || options.Providers.ContainsKey(name) || options.Catalogs.ContainsKey(name);
            libraries.Require(known, $"{name}:Access", $"'{name}' is not a library, provider library or catalog");
            libraries.Require(mode != Access.AccessMode.Signed || options.SigningKeys.Count > 0, $"{name}:Access",
                "signed access needs a signing key (--signing-key or SigningKeys)");
            access.Require(mode != Access.AccessMode.Forward || options.Access.AuthUrl is not null, "AuthUrl",
                $"forward access for '{name}' needs the app's auth URL (--auth-url)");
        }
    }

    private static void ReadPresets(SettingReader root, TesseraOptions options)
    {
        var presets = root.Section("Presets");
        foreach (var name in root.Names("Presets"))
        {
            try
            {
                options.Presets.Add(PresetCatalog.Parse($"{name}={presets.String(name)}"));
            }
            catch (FormatException e)
            {
                throw new TesseraConfigurationException(presets.Key(name), e.Message + " (expected WIDTHxHEIGHT[:webp|jpeg|png|avif|auto[:QUALITY]])");
            }
        }
    }

    private static void ReadProviders(SettingReader root, TesseraOptions options)
    {
        var providers = root.Section("Providers");
        foreach (var name in root.Names("Providers"))
        {
            providers.Require(IsName(name), name, "a library name must be letters, digits, '-', '_' or '.'");
            var templates = providers.List(name);
            foreach (var template in templates)
            {
                providers.Require(Items.ProviderTemplates.Expand(template, "0", "cover") is not null, name,
                    $"'{template}' is not an absolute http(s) URL template");
            }

            options.Providers[name] = [.. templates];
        }

        var headers = root.Section("ProviderHeaders");
        foreach (var name in root.Names("ProviderHeaders"))
        {
            var provider = headers.Section(name);
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in headers.Names(name))
            {
                // The value is never quoted back: it is a secret.
                provider.Require(provider.String(header) is not null, header, "expected the header's value");
                values[header] = provider.String(header)!;
            }

            options.ProviderHeaders[name] = values;
        }
    }

    private static void ReadSigning(SettingReader root, TesseraOptions options)
    {
        var keys = root.List("SigningKeys", commaSeparated: true);
        root.Require(keys.All(k => System.Text.Encoding.UTF8.GetByteCount(k) >= Signing.UrlSigner.MinKeyBytes), "SigningKeys",
            $"every signing key must be at least {Signing.UrlSigner.MinKeyBytes} bytes");
        options.SigningKeys.AddRange(keys);
    }

    private static void ReadCache(SettingReader cache, TesseraOptions options)
    {
        cache.Size("MaxSize", v => options.Budget.MaxBytes = v);
        if (cache.String("MinFreeDisk") is "0")
        {
            options.Budget.MinFreeDiskBytes = 0;
        }
        else
        {
            cache.Size("MinFreeDisk", v => options.Budget.MinFreeDiskBytes = v);
        }

        ReadEvictionFloor(cache, options);
        cache.Duration("EvictionInterval", v => options.Budget.Interval = v);
        cache.Duration("FlushInterval", v => options.FlushInterval = v);
        cache.Size("HotSize", v => options.HotCacheBytes = v);
    }

    /// <summary>Cache:EvictionFloor: a size ("512MB"), a share of Cache:MaxSize ("25%"), or 0.</summary>
    private static void ReadEvictionFloor(SettingReader cache, TesseraOptions options)
    {
        switch (cache.String("EvictionFloor"))
        {
            case null:
                return;
            case "0":
                options.Budget.EvictionFloorBytes = 0;
                return;
            case var text when text.EndsWith('%'):
                var ok = double.TryParse(text[..^1], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var percent);
                cache.Require(ok && percent is >= 0 and <= 100, "EvictionFloor", $"'{text}' is not a share from 0% to 100% of Cache:MaxSize");
                options.Budget.EvictionFloorShare = percent / 100;
                return;
            default:
                cache.Size("EvictionFloor", v => options.Budget.EvictionFloorBytes = v);
                return;
        }
    }

    private static void ReadEncoding(SettingReader encoding, TesseraOptions options)
    {
        encoding.Int("MaxConcurrent", 1, 1024, v => options.MaxConcurrentEncodes = v);
        encoding.Int("MaxQueued", 0, int.MaxValue / 2, v => options.MaxQueuedEncodes = v);
        encoding.Size("MemoryBudget", v => options.EncodeMemoryBudget = v);
        encoding.Duration("MaxQueueWait", v => options.MaxQueueWait = v);
        encoding.Long("MaxSourcePixels", 1, v => options.Pipeline.MaxSourcePixels = v);
        encoding.Size("MaxInputSize", v => options.Pipeline.MaxInputBytes = v);
        encoding.Size("MaxRenditionSize", v => options.Pipeline.MaxRenditionBytes = v);
        encoding.Duration("DecodeTimeout", v => options.Pipeline.DecodeTimeout = v);
        options.Pipeline.WorkerPath = encoding.String("WorkerPath") ?? options.Pipeline.WorkerPath;
        encoding.Int("WebPEffort", 0, 6, v => options.Pipeline.WebPEffort = v);
        encoding.Int("AvifEffort", 0, 9, v => options.Pipeline.AvifEffort = v);
        encoding.Bool("FastShrinkOnLoad", v => options.Pipeline.FastShrinkOnLoad = v);
    }

    private static void ReadJobs(SettingReader jobs, TesseraOptions options)
    {
        jobs.Int("MaxShare", 1, 1024, v => options.JobEncodeShare = v);
        jobs.Require(options.JobEncodeShare is not { } share || share <= options.MaxConcurrentEncodes, "MaxShare",
            $"must be at most Encoding:MaxConcurrent ({options.MaxConcurrentEncodes})");
    }

    private static void ReadHttp(SettingReader http, TesseraOptions options)
    {
        http.Seconds("ItemMaxAge", v => options.ItemMaxAgeSeconds = v);
        http.Seconds("PlaceholderMaxAge", v => options.PlaceholderMaxAgeSeconds = v);
        http.Require(options.ItemMaxAgeSeconds >= 0, "ItemMaxAge", "must not be negative");
        http.Require(options.PlaceholderMaxAgeSeconds >= 0, "PlaceholderMaxAge", "must not be negative");
    }

    private static void ReadNegative(SettingReader negative, TesseraOptions options)
    {
        negative.Duration("NotFoundRecheck", v => options.Negative.NotFoundRecheck = v);
        negative.Duration("PermanentRecheck", v => options.Negative.PermanentRecheck = v);
        negative.Duration("TransientBase", v => options.Negative.TransientBase = v);
        negative.Duration("TransientCap", v => options.Negative.TransientCap = v);
        negative.Require(options.Negative.TransientCap >= options.Negative.TransientBase, "TransientCap", "must be at least TransientBase");
    }

    private static void ReadLimits(SettingReader limits, Limits.LimitOptions options)
    {
        limits.Int("MissesPerMinute", 0, 1_000_000, v => options.MissesPerMinute = v);
        limits.Int("ApiPerMinute", 0, 1_000_000, v => options.ApiPerMinute = v);
        options.TrustedProxies.AddRange(limits.List("TrustedProxies", commaSeparated: true));
    }

    private static void ReadRemote(SettingReader remote, TesseraOptions options)
    {
        var r = options.Remote;
        remote.Duration("MaxPaceWait", v => r.MaxPaceWait = v);
        var paced = remote.Section("HostRequestsPerMinute");
        foreach (var host in remote.Names("HostRequestsPerMinute"))
        {
            paced.Int(host, 0, 1_000_000, v => r.HostRequestsPerMinute[host] = v);
        }

        remote.Duration("Timeout", v => r.Timeout = v);
        remote.Size("MaxSize", v => r.MaxBytes = v);
        remote.Int("MaxRetries", 0, 20, v => r.MaxRetries = v);
        remote.Int("MaxRedirects", 0, 50, v => r.MaxRedirects = v);
        remote.Int("MaxConnectionsPerHost", 1, 1024, v => r.MaxConnectionsPerHost = v);
        remote.Duration("MaxRetryAfter", v => r.MaxRetryAfter = v);
        if (remote.String("UserAgent") is { } agent)
        {
            r.UserAgent = agent;
        }

        r.AllowedHosts.AddRange(remote.List("AllowedHosts", commaSeparated: true));
        r.AllowedNetworks.AddRange(remote.List("AllowedNetworks", commaSeparated: true));
        remote.Duration("FreshFor", v => options.RemoteCache.FreshFor = v);
    }

    private static void ReadFfmpeg(SettingReader ffmpeg, TesseraOptions options)
    {
        options.Ffmpeg.FfmpegPath = ffmpeg.String("Path") ?? options.Ffmpeg.FfmpegPath;
        options.Ffmpeg.FfprobePath = ffmpeg.String("ProbePath") ?? options.Ffmpeg.FfprobePath;
        ffmpeg.Duration("Timeout", v => options.Ffmpeg.Timeout = v);
        ffmpeg.Size("MaxOutputSize", v => options.Ffmpeg.MaxOutputBytes = v);
    }

    /// <summary>Sources:SampleAbove: a size, or "off" (every file hashed whole).</summary>
    private static void ReadSources(SettingReader sources, Sources.FingerprintOptions o)
    {
        if (sources.String("SampleAbove") is { } text && text.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            o.SampleAboveBytes = null;
            return;
        }

        sources.Size("SampleAbove", v => o.SampleAboveBytes = v);
        sources.Require(o.SampleAboveBytes is not { } above || above >= Sources.FingerprintOptions.MinSampleAbove, "SampleAbove",
            "must be at least 1MiB (a sampled id reads 1 MiB) or off");
    }

    private static void ReadJobs(SettingReader jobs, Jobs.JobOptions o)
    {
        jobs.Bool("Enabled", v => o.Enabled = v);
        jobs.Int("Concurrency", 1, 64, v => o.Concurrency = v);
        jobs.Int("UnitParallelism", 1, 64, v => o.UnitParallelism = v);
        jobs.Int("UnitSize", 1, 100_000, v => o.UnitSize = v);
        jobs.Duration("LeaseTime", v => o.LeaseTime = v);
        jobs.Require(o.LeaseTime >= TimeSpan.FromSeconds(1), "LeaseTime", "must be at least 1s");
        jobs.Duration("Watchdog", v => o.Watchdog = v);
        jobs.Int("FailureSample", 0, 1_000_000, v => o.FailureSample = v);
        jobs.DurationOrOff("WarmAtStart", v => o.WarmAtStart = v);
        jobs.DurationOrOff("WarmEvery", v => o.WarmEvery = v);
        jobs.DurationOrOff("CleanupEvery", v => o.CleanupEvery = v);
        jobs.Bool("WatchLibraries", v => o.WatchLibraries = v);
    }

    private static void ReadReplicas(SettingReader replicas, Cache.RenditionLeaseOptions o)
    {
        replicas.Duration("LeaseTime", v => o.LeaseTime = v);
        replicas.Require(o.LeaseTime >= TimeSpan.FromSeconds(1), "LeaseTime", "must be at least 1s");
        replicas.Duration("MaxWait", v => o.MaxWait = v);
    }

    /// <summary>The key a validation message is about: "RemoteOptions.MaxRetries must …" is Remote:MaxRetries.</summary>
    private static string KeyOf(string message)
    {
        const string Headers = "provider headers for '";
        if (message.StartsWith(Headers, StringComparison.Ordinal) && message.IndexOf('\'', Headers.Length) is var end and > 0)
        {
            return "ProviderHeaders:" + message[Headers.Length..end];
        }

        const string Remote = "RemoteOptions.";
        if (message.StartsWith(Remote, StringComparison.Ordinal))
        {
            var field = message[Remote.Length..].Split(' ', ':')[0];
            return "Remote:" + field;
        }

        const string Limits = "LimitOptions.";
        if (message.StartsWith(Limits, StringComparison.Ordinal))
        {
            return "Limits:" + message[Limits.Length..].Split(' ', ':')[0];
        }

        return "(settings)";
    }

    private static string Reason(string message) =>
        (message.StartsWith("RemoteOptions.", StringComparison.Ordinal) || message.StartsWith("LimitOptions.", StringComparison.Ordinal))
            && message.IndexOf(' ', StringComparison.Ordinal) is > 0 and var space
            ? message[(space + 1)..]
            : message;

    internal static bool IsName(string name) => name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
