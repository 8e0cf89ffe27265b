using System.CommandLine;
using Tessera.Core.Catalog;
using Tessera.Core.Configuration;

namespace Tessera.Cli.Settings;

/// <summary>--catalog NAME=KIND:URL and --catalog-api-key NAME=KEY: the flags for Catalogs:NAME:Kind, :Url and :ApiKey.
/// They write the keys themselves (not the Catalogs:NAME shorthand), so they override a file's or the environment's
/// Kind, Url and ApiKey like every flag. A bad value is one line naming the flag; a key is never in it.</summary>
internal static class CatalogFlags
{
    public static void AddTo(SettingFlags flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var catalog = new Option<string[]>("--catalog")
        {
            Description = $"An upstream catalog as NAME=KIND:URL, e.g. stash=stash:http://stash:9999 (kinds: {string.Join(", ", UpstreamFactories.Kinds)}). " +
                          "Repeatable. Setting: Catalogs:NAME:Kind and :Url.",
            AllowMultipleArgumentsPerToken = false,
        };
        var apiKey = new Option<string[]>("--catalog-api-key")
        {
            Description = "The API key of a catalog as NAME=KEY, sent only to that upstream. Repeatable. Setting: Catalogs:NAME:ApiKey.",
            AllowMultipleArgumentsPerToken = false,
        };
        flags.Custom(catalog, (parse, into) =>
        {
            foreach (var spec in parse.GetValue(catalog) ?? [])
            {
                var (name, value) = Split(catalog.Name, spec, "NAME=KIND:URL", show: true);
                var colon = value.IndexOf(':', StringComparison.Ordinal);
                var kind = colon > 0 ? value[..colon].ToLowerInvariant() : value;
                if (!UpstreamFactories.Kinds.Contains(kind, StringComparer.Ordinal))
                {
                    throw new TesseraConfigurationException(catalog.Name,
                        $"'{spec}': '{kind}' is not a known catalog kind (known: {string.Join(", ", UpstreamFactories.Kinds)}); expected NAME=KIND:URL");
                }

                var url = value[(colon + 1)..];
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
                {
                    throw new TesseraConfigurationException(catalog.Name, $"'{spec}': '{url}' is not an http(s) URL; expected e.g. {name}=stash:http://stash:9999");
                }

                into[$"Catalogs:{name}:Kind"] = kind;
                into[$"Catalogs:{name}:Url"] = url;
            }
        });
        flags.Custom(apiKey, (parse, into) =>
        {
            foreach (var spec in parse.GetValue(apiKey) ?? [])
            {
                var (name, key) = Split(apiKey.Name, spec, "NAME=KEY", show: false);
                into[$"Catalogs:{name}:ApiKey"] = key;
            }
        }, (parse, setting) =>
        {
            foreach (var spec in parse.GetValue(apiKey) ?? [])
            {
                var name = spec[..spec.IndexOf('=', StringComparison.Ordinal)];
                if (string.IsNullOrEmpty(setting($"Catalogs:{name}")) && string.IsNullOrEmpty(setting($"Catalogs:{name}:Url")))
                {
                    throw new TesseraConfigurationException(apiKey.Name,
                        $"a key for catalog '{name}', which is not defined (add --catalog {name}=stash:URL, or Catalogs:{name} in the settings file)");
                }
            }
        });
    }

    /// <summary>NAME and VALUE of NAME=VALUE; a bad spec is shown only when it holds no secret.</summary>
    private static (string Name, string Value) Split(string flag, string spec, string expected, bool show)
    {
        var eq = spec.IndexOf('=', StringComparison.Ordinal);
        var shown = show ? $"'{spec}': " : eq > 0 ? $"'{spec[..eq]}=…': " : string.Empty;
        if (eq <= 0 || eq == spec.Length - 1)
        {
            throw new TesseraConfigurationException(flag, $"{shown}expected {expected}");
        }

        var name = spec[..eq];
        if (name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new TesseraConfigurationException(flag, $"{(show ? shown : $"'{name}': ")}a catalog name must be letters, digits, '-', '_' or '.'");
        }

        return (name, spec[(eq + 1)..]);
    }
}
