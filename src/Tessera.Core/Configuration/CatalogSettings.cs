using Tessera.Core.Catalog;

namespace Tessera.Core.Configuration;

/// <summary>Reads Catalogs:NAME:{Kind, Url, ApiKey, Public, Access, PerPage, Pace, PollInterval, Subscribe}. A catalog may also be written as one
/// value, Catalogs:NAME = "stash:URL" (what <c>--catalog NAME=stash:URL</c> writes).</summary>
internal static class CatalogSettings
{
    public static readonly IReadOnlyList<string> Kinds = UpstreamFactories.Kinds;

    public static void Read(SettingReader root, TesseraOptions options)
    {
        var catalogs = root.Section("Catalogs");
        foreach (var name in root.Names("Catalogs"))
        {
            catalogs.Require(TesseraConfiguration.IsName(name), name, "a catalog name must be letters, digits, '-', '_' or '.'");
            options.Catalogs[name] = ReadOne(name, catalogs.String(name), catalogs.Section(name));
            if (catalogs.Section(name).String("Access") is { } access)
            {
                catalogs.Section(name).Require(Access.AccessOptions.TryParseMode(access, out var mode), "Access", $"'{access}' is not public, signed or forward");
                options.Access.Modes[name] = mode;
            }
        }
    }

    private static CatalogOptions ReadOne(string name, string? shorthand, SettingReader section)
    {
        var catalog = new CatalogOptions { Name = name };
        var kind = section.String("Kind");
        var url = section.String("Url");
        if (shorthand is not null && shorthand.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon)
        {
            kind ??= shorthand[..colon];
            url ??= shorthand[(colon + 1)..];
        }

        catalog.Kind = kind?.ToLowerInvariant() ?? catalog.Kind;
        section.Require(Kinds.Contains(catalog.Kind, StringComparer.Ordinal), "Kind", $"'{kind}' is not a known catalog kind (known: {string.Join(", ", Kinds)})");
        section.Require(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https", "Url",
            $"expected the upstream's http(s) URL, e.g. \"http://stash:9999\" (or --catalog {name}=stash:URL)");
        catalog.Url = uri;
        catalog.ApiKey = section.String("ApiKey");
        section.Bool("Public", v => catalog.Public = v);
        section.Int("PerPage", 1, 5000, v => catalog.PerPage = v);
        section.Duration("Pace", v => catalog.Pace = v);
        section.Require(catalog.Pace >= TimeSpan.Zero && catalog.Pace <= TimeSpan.FromMinutes(1), "Pace", "must be from 0 to 1m");
        section.Duration("PollInterval", v => catalog.PollInterval = v);
        section.Require(catalog.PollInterval >= CatalogOptions.MinPollInterval && catalog.PollInterval <= CatalogOptions.MaxPollInterval, "PollInterval",
            "must be from 5m to 120m");
        section.Bool("Subscribe", v => catalog.Subscribe = v);
        return catalog;
    }
}
