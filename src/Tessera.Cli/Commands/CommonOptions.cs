using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Tessera.Cli.Settings;
using Tessera.Core;
using Tessera.Core.Configuration;

namespace Tessera.Cli.Commands;

/// <summary>Setting flags several commands share, and how a command turns its flags into options.</summary>
internal static class CommonOptions
{
    public static Option<string[]> Presets(SettingFlags flags) => flags.Pairs(new Option<string[]>("--preset")
    {
        Description = "A preset as NAME=WIDTHxHEIGHT[:webp|jpeg|png|avif|auto[:QUALITY]]; repeatable; configured presets replace the defaults " +
                      "(thumb=150, grid=400, grid2x=800, detail=600, WebP q80). Setting: Presets:NAME.",
        AllowMultipleArgumentsPerToken = false,
    }, "Presets", "NAME=WIDTHxHEIGHT[:FORMAT[:QUALITY]]");

    public static Option<string?> MaxCacheSize(SettingFlags flags) => flags.Value(new Option<string?>("--max-cache-size")
    {
        Description = "Disk budget for thumbnails, e.g. 2GB or 500MB (binary units; default 2GB). " +
                      "Least recently used thumbnails are evicted past it. Setting: Cache:MaxSize.",
    }, "Cache:MaxSize");

    public static Option<string[]> Sidecars(SettingFlags flags) => flags.List(new Option<string[]>("--sidecar")
    {
        Description = "A sidecar cover name, tried in order; {name} is the item's file name without extension. Repeatable; " +
                      "configured names replace the defaults ({name}.jpg, …, cover.jpg, folder.jpg, poster.jpg, front.jpg). Setting: Sidecars.",
    }, "Sidecars");

    /// <summary>The configuration of this invocation (file, environment, flags) and the options read from it.</summary>
    public static (IConfigurationRoot Configuration, TesseraOptions Options) Read(
        SettingFlags flags, ParseResult parse, IReadOnlyDictionary<string, string?>? fixedValues = null)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var configuration = flags.Build(parse, fixedValues);
        if (string.IsNullOrWhiteSpace(configuration["Data"]))
        {
            throw new TesseraConfigurationException("Data", "a data folder is required: --data DIR, \"Data\" in the settings file, or TESSERA__Data");
        }

        return (configuration, TesseraConfiguration.Read(configuration));
    }

    /// <summary>The command's services on its configuration, with the data folder open.</summary>
    public static Task<CommandHost> OpenAsync(SettingFlags flags, ParseResult parse, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? fixedValues = null) =>
        CommandHost.OpenAsync(Read(flags, parse, fixedValues).Options, cancellationToken);

    /// <summary>As <see cref="OpenAsync"/>, for a command that only reads: nothing is written to the data folder.</summary>
    public static Task<CommandHost> OpenReadOnlyAsync(SettingFlags flags, ParseResult parse, CancellationToken cancellationToken) =>
        CommandHost.OpenAsync(Read(flags, parse).Options, cancellationToken, readOnly: true);
}
