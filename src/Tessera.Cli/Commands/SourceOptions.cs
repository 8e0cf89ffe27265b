using System.CommandLine;
using Tessera.Core;

namespace Tessera.Cli.Commands;

/// <summary>Options for where covers come from besides the library folders: providers, signed URLs, sidecar names.</summary>
internal static class SourceOptions
{
    public static Option<string[]> Providers() => new("--provider")
    {
        Description = "A provider URL template for /i/ items of a library: NAME=URL with {id} and {role}, e.g. " +
                      "books=https://covers.openlibrary.org/b/isbn/{id}-L.jpg. NAME alone makes an items-only library. Repeatable.",
    };

    public static Option<string[]> SigningKeys() => new("--signing-key")
    {
        Description = "A key (16+ bytes) for signed /r/ URLs; the first signs, all verify. Repeatable. " +
                      "Default: TESSERA_SIGNING_KEYS (comma-separated).",
    };

    public static Option<string[]> Sidecars() => new("--sidecar")
    {
        Description = "Replace the sidecar cover names, tried in order; {name} is the item's file name without extension. Repeatable. " +
                      "Default: {name}.jpg, {name}.png, …, cover.jpg, folder.jpg, poster.jpg, front.jpg.",
    };

    public static Option<string[]> AllowHosts() => new("--allow-host")
    {
        Description = "Only fetch provider images from these hosts: example.com exactly, *.example.com any subdomain. Repeatable. Default: any public host.",
    };

    public static Option<string[]> AllowNetworks() => new("--allow-network")
    {
        Description = "Let provider fetches reach this private network (CIDR, e.g. 192.168.1.0/24 for a LAN provider). " +
                      "Loopback, private, link-local and metadata addresses are refused otherwise. Repeatable.",
    };

    /// <summary>The signing keys from the option, else from TESSERA_SIGNING_KEYS.</summary>
    public static IReadOnlyList<string> Keys(string[]? given) =>
        given is { Length: > 0 }
            ? given
            : (Environment.GetEnvironmentVariable("TESSERA_SIGNING_KEYS") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static void Apply(TesseraOptions options, string[]? providers, string[]? keys, string[]? sidecars, string[]? hosts = null, string[]? networks = null)
    {
        options.Remote.AllowedHosts.AddRange(hosts ?? []);
        options.Remote.AllowedNetworks.AddRange(networks ?? []);
        foreach (var spec in providers ?? [])
        {
            var eq = spec.IndexOf('=', StringComparison.Ordinal);
            var (name, template) = eq < 0 ? (spec, null) : (spec[..eq], spec[(eq + 1)..]);
            if (name.Length == 0 || template is { Length: 0 })
            {
                throw new FormatException($"--provider '{spec}': expected NAME=URL-TEMPLATE or NAME");
            }

            var list = options.Providers.TryGetValue(name, out var l) ? l : options.Providers[name] = [];
            if (template is not null)
            {
                list.Add(template);
            }
        }

        options.SigningKeys.AddRange(Keys(keys));
        options.SidecarNames.AddRange(sidecars ?? []);
        options.Validate();
    }
}
