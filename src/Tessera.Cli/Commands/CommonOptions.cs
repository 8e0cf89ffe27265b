using System.CommandLine;
using Tessera.Core;
using Tessera.Core.Presets;

namespace Tessera.Cli.Commands;

/// <summary>Options shared by every command, and how they become <see cref="TesseraOptions"/>.</summary>
internal static class CommonOptions
{
    public static Option<string> Data() => new("--data")
    {
        Description = "The data folder (index, renditions). Created when missing.",
        Required = true,
    };

    public static Option<string[]> Presets() => new("--preset")
    {
        Description = "Replace the preset allow-list: NAME=WIDTHxHEIGHT[:webp|jpeg|png|avif|auto[:QUALITY]]. Repeatable. " +
                      "Default: thumb=150, grid=400, grid2x=800, detail=600, WebP q80.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string> MaxCacheSize() => new("--max-cache-size")
    {
        Description = "Disk budget for thumbnails, e.g. 2GB or 500MB (binary units; default 2GB). " +
                      "Least recently used thumbnails are evicted past it.",
    };

    public static TesseraOptions Build(string data, IEnumerable<string>? presets = null, IEnumerable<string>? libraries = null, string? maxCacheSize = null)
    {
        var options = new TesseraOptions { DataPath = data };
        if (maxCacheSize is not null)
        {
            options.Budget.MaxBytes = ByteSize.Parse(maxCacheSize);
        }

        foreach (var spec in presets ?? [])
        {
            options.Presets.Add(PresetCatalog.Parse(spec));
        }

        foreach (var spec in libraries ?? [])
        {
            var eq = spec.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == spec.Length - 1)
            {
                throw new FormatException($"--library '{spec}': expected NAME=PATH");
            }

            options.Libraries[spec[..eq]] = spec[(eq + 1)..];
        }

        options.Validate();
        return options;
    }
}
